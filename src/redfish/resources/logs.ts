// The System Event Log as a Redfish LogService (Systems/{id}/LogServices/SEL): each SEL record
// is a LogEntry with EntryType "SEL", its IPMI sensor type, number and entry code as LogEntry
// defines them (IPMI tables 42-1..42-3), and the text ipmitool's `sel elist` prints. Reading the
// log reads the BMC's SEL itself, so an entry added over IPMI is there at once; ClearLog
// clears it as Clear SEL does.

import type { BmcCore } from '../../bmc/core.js';
import { decodeSel, SEL_PRE_INIT_TIMESTAMP_MAX, type SelRecord } from '../../ipmi/sel/records.js';
import { sdrForSelRecord, selEventDescription, selExtraText, selOemText, selSensorText } from '../../ipmi/sel/describe.js';
import { EventReadingType } from '../../ipmi/tables/event-types.js';
import { requirePrivilege } from '../auth.js';
import { checkAction } from '../body.js';
import { notFound } from '../errors.js';
import { collection, isoTime, link, offsetText, resource, SEL_URI, SYSTEM_URI } from '../odata.js';
import type { Doc, Route } from '../routes.js';

const LOG_SERVICE_TYPE = 'LogService.v1_9_0.LogService';
const LOG_ENTRY_TYPE = 'LogEntry.v1_21_0.LogEntry';
const ENTRIES_URI = `${SEL_URI}/Entries`;
const UTC_UNSPECIFIED = 0x07ff;

export const logEntryUri = (id: number): string => `${ENTRIES_URI}/${id}`;

/** LogEntry.SensorType by IPMI sensor type code (Table 42-3), as LogEntry's enumeration spells it. */
const SENSOR_TYPES: Readonly<Record<number, string>> = {
  0x01: 'Temperature', 0x02: 'Voltage', 0x03: 'Current', 0x04: 'Fan', 0x05: 'Physical Chassis Security',
  0x06: 'Platform Security Violation Attempt', 0x07: 'Processor', 0x08: 'Power Supply / Converter', 0x09: 'PowerUnit',
  0x0a: 'CoolingDevice', 0x0b: 'Other Units-based Sensor', 0x0c: 'Memory', 0x0d: 'Drive Slot/Bay', 0x0e: 'POST Memory Resize',
  0x0f: 'System Firmware Progress', 0x10: 'Event Logging Disabled', 0x11: 'Watchdog', 0x12: 'System Event',
  0x13: 'Critical Interrupt', 0x14: 'Button/Switch', 0x15: 'Module/Board', 0x16: 'Microcontroller/Coprocessor',
  0x17: 'Add-in Card', 0x18: 'Chassis', 0x19: 'ChipSet', 0x1a: 'Other FRU', 0x1b: 'Cable/Interconnect', 0x1c: 'Terminator',
  0x1d: 'SystemBoot/Restart', 0x1e: 'Boot Error', 0x1f: 'BaseOSBoot/InstallationStatus', 0x20: 'OS Stop/Shutdown',
  0x21: 'Slot/Connector', 0x22: 'System ACPI PowerState', 0x23: 'Watchdog', 0x24: 'Platform Alert', 0x25: 'Entity Presence',
  0x26: 'Monitor ASIC/IC', 0x27: 'LAN', 0x28: 'Management Subsystem Health', 0x29: 'Battery', 0x2a: 'Session Audit',
  0x2b: 'Version Change', 0x2c: 'FRUState',
};

/** LogEntry.EntryCode for threshold event offsets 0-11 (Table 42-2). */
const THRESHOLD_CODES = [
  'Lower Non-critical - going low', 'Lower Non-critical - going high', 'Lower Critical - going low', 'Lower Critical - going high',
  'Lower Non-recoverable - going low', 'Lower Non-recoverable - going high', 'Upper Non-critical - going low', 'Upper Non-critical - going high',
  'Upper Critical - going low', 'Upper Critical - going high', 'Upper Non-recoverable - going low', 'Upper Non-recoverable - going high',
];

/**
 * Severity of a record: threshold crossings by the threshold (non-critical → Warning, critical
 * and non-recoverable → Critical) while asserted; everything else OK, as IPMI gives no severity.
 */
export function selSeverity(bytes: Uint8Array): 'OK' | 'Warning' | 'Critical' {
  const r = decodeSel(bytes);
  if (r.kind !== 'system' || r.eventReadingType !== EventReadingType.Threshold || r.eventDirection === 'deassertion') return 'OK';
  const offset = r.eventData1 & 0x0f;
  if (offset > 11) return 'OK';
  return offset === 0 || offset === 1 || offset === 6 || offset === 7 ? 'Warning' : 'Critical';
}

function entryMessage(bmc: BmcCore, r: SelRecord): string {
  if (r.kind !== 'system') return selOemText(r) ?? 'OEM record';
  const sdr = sdrForSelRecord(bmc.sensors.list.map((s) => s.sdr), r);
  const cols = [selSensorText(r, sdr?.idString), selEventDescription(r) ?? '', r.eventDirection === 'deassertion' ? 'Deasserted' : 'Asserted'];
  const extra = selExtraText(r, sdr?.kind === 'full' ? sdr : undefined);
  if (extra) cols.push(extra);
  return cols.join(' | ');
}

function entryDoc(bmc: BmcCore, id: number, bytes: Uint8Array): Doc {
  const r = decodeSel(bytes);
  const offsetMin = bmc.sel.utcOffset === UTC_UNSPECIFIED ? 0 : bmc.sel.utcOffset;
  const doc: Doc = {
    EntryType: 'SEL',
    Message: entryMessage(bmc, r),
    Severity: selSeverity(bytes),
  };
  // Timestamps up to 0x20000000 count from BMC initialisation: no calendar time to give.
  if (r.kind !== 'oemNonTimestamped' && r.timestamp > SEL_PRE_INIT_TIMESTAMP_MAX && r.timestamp !== 0xffffffff) doc.Created = isoTime(r.timestamp * 1000, offsetMin);
  if (r.kind === 'system') {
    doc.SensorType = SENSOR_TYPES[r.sensorType] ?? (r.sensorType >= 0xc0 ? 'OEM' : 'Other Units-based Sensor');
    doc.SensorNumber = r.sensorNumber;
    const offset = r.eventData1 & 0x0f;
    doc.EntryCode = r.eventReadingType === EventReadingType.Threshold && offset < 12 ? THRESHOLD_CODES[offset] : r.eventDirection === 'deassertion' ? 'Deassert' : 'Assert';
    doc.GeneratorId = `0x${r.generatorId.toString(16).padStart(4, '0')}`;
  } else {
    doc.OemRecordFormat = `IPMI SEL record type 0x${r.recordType.toString(16)}`;
  }
  return resource(logEntryUri(id), LOG_ENTRY_TYPE, String(id), `SEL entry ${id}`, doc);
}

function entryId(raw: string | undefined): number {
  return raw !== undefined && /^[1-9]\d{0,4}$/.test(raw) ? Number(raw) : -1;
}

export const logRoutes: Route[] = [
  {
    pattern: `${SYSTEM_URI}/LogServices`,
    get: () => collection(`${SYSTEM_URI}/LogServices`, 'LogServiceCollection', 'Log services', [SEL_URI]),
  },
  {
    pattern: SEL_URI,
    get: ({ svc: { bmc } }) => {
      const offsetMin = bmc.sel.utcOffset === UTC_UNSPECIFIED ? 0 : bmc.sel.utcOffset;
      return resource(SEL_URI, LOG_SERVICE_TYPE, 'SEL', 'System Event Log', {
        Description: 'The IPMI System Event Log',
        LogEntryType: 'SEL',
        MaxNumberOfRecords: bmc.sel.capacity,
        // A full SEL refuses new entries (IPMI §31.1): it never overwrites.
        OverWritePolicy: 'NeverOverWrites',
        ServiceEnabled: true,
        DateTime: isoTime(bmc.selTime() * 1000, offsetMin),
        DateTimeLocalOffset: offsetText(offsetMin),
        Entries: link(ENTRIES_URI),
        Actions: { '#LogService.ClearLog': { target: `${SEL_URI}/Actions/LogService.ClearLog` } },
        Status: { State: 'Enabled', Health: bmc.sel.full ? 'Warning' : 'OK' },
      });
    },
  },
  {
    pattern: ENTRIES_URI,
    get: ({ svc: { bmc } }) => collection(ENTRIES_URI, 'LogEntryCollection', 'SEL entries', bmc.sel.entries.map((e) => logEntryUri(e.id))),
  },
  {
    pattern: `${ENTRIES_URI}/{entry}`,
    get: ({ svc: { bmc }, params, path }) => {
      const id = entryId(params.entry);
      const e = bmc.sel.entries.find((x) => x.id === id);
      if (!e) throw notFound(path);
      return entryDoc(bmc, e.id, e.record);
    },
  },
  {
    pattern: `${SEL_URI}/Actions/LogService.ClearLog`,
    post: (c, body) => {
      requirePrivilege(c.principal, 'ConfigureComponents');
      checkAction(body, 'LogService.ClearLog', {});
      const sel = c.svc.bmc.sel;
      // Clear SEL with a fresh reservation, as a console would.
      sel.clear(sel.reserve());
      c.svc.bmc.log.info('SEL cleared over Redfish', { user: c.principal.username });
      return { status: 204 };
    },
  },
];
