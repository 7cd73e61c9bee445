// Chassis with Thermal and Power, read from the BMC's own sensors at the moment of the request
// (the readings and thresholds `ipmitool sensor` shows): temperature sensors in Celsius and
// fans in RPM under Thermal, voltages and power supplies under Power. A threshold crossed sets
// the health (non-critical → Warning, critical or non-recoverable → Critical).

import type { BmcCore } from '../../bmc/core.js';
import type { Sensor } from '../../bmc/state/sensors.js';
import { rawToUnits } from '../../ipmi/sdr/conversion.js';
import { EntityId } from '../../ipmi/tables/entity-ids.js';
import { requirePrivilege } from '../auth.js';
import { checkProperties, type ObjectSchema } from '../body.js';
import { notFound } from '../errors.js';
import { defined, fieldText, fru0 } from '../inventory.js';
import { CHASSIS_ID, CHASSIS_URI, collection, link, MANAGER_URI, resource, ROOT, SYSTEM_URI } from '../odata.js';
import type { Doc, Route } from '../routes.js';
import { identify } from './systems.js';

const CHASSIS_TYPE = 'Chassis.v1_28_0.Chassis';
const THERMAL_TYPE = 'Thermal.v1_7_3.Thermal';
const POWER_TYPE = 'Power.v1_7_3.Power';
const THERMAL_URI = `${CHASSIS_URI}/Thermal`;
const POWER_URI = `${CHASSIS_URI}/Power`;

const SensorType = { Temperature: 0x01, Voltage: 0x02, Fan: 0x04, PowerSupply: 0x08 } as const;

/** SMBIOS enclosure types (FRU chassis type) → ChassisType. */
function chassisType(smbios: number | undefined): string {
  switch (smbios) {
    case 0x17:
      return 'RackMount';
    case 0x1c:
      return 'Blade';
    case 0x1d:
      return 'Enclosure';
    case 0x03:
    case 0x04:
    case 0x06:
    case 0x07:
    case 0x11:
      return 'StandAlone';
    default:
      return 'Other';
  }
}

function physicalContext(s: Sensor): string | undefined {
  switch (s.cfg.entityId) {
    case EntityId.Processor:
      return 'CPU';
    case EntityId.AirInlet:
      return 'Intake';
    case EntityId.SystemBoard:
      return 'SystemBoard';
    case EntityId.PowerSupply:
      return 'PowerSupply';
    case EntityId.FanDevice:
    case EntityId.CoolingUnit:
      return 'Fan';
    case EntityId.MemoryModule:
    case EntityId.MemoryDevice:
      return 'Memory';
    case EntityId.SystemChassis:
      return 'Chassis';
    default:
      return undefined;
  }
}

/** Thresholds in units by Redfish name (command order LNC, LC, LNR, UNC, UC, UNR). */
const THRESHOLD_NAMES = ['LowerThresholdNonCritical', 'LowerThresholdCritical', 'LowerThresholdFatal', 'UpperThresholdNonCritical', 'UpperThresholdCritical', 'UpperThresholdFatal'] as const;

function thresholds(s: Sensor): Record<string, number> {
  const out: Record<string, number> = {};
  if (!s.factors) return out;
  THRESHOLD_NAMES.forEach((name, i) => {
    if (!((s.readable >> i) & 1)) return;
    const v = rawToUnits(s.thresholds[i]!, s.factors!);
    if (v !== undefined) out[name] = round(v);
  });
  return out;
}

const round = (v: number): number => Math.round(v * 1000) / 1000;

function status(s: Sensor): Doc {
  if (s.unavailable || !s.scanningEnabled) return { State: 'UnavailableOffline' };
  // Comparison bits: 0 LNC, 1 LC, 2 LNR, 3 UNC, 4 UC, 5 UNR.
  const health = s.state & 0b110110 ? 'Critical' : s.state & 0b001001 ? 'Warning' : 'OK';
  return { State: 'Enabled', Health: health };
}

function reading(s: Sensor): number | null {
  const v = s.value;
  return v === undefined ? null : round(v);
}

function analog(bmc: BmcCore, type: number): Sensor[] {
  return bmc.sensors.list.filter((s) => s.cfg.sensorType === type && s.factors && !s.eventOnly);
}

function common(s: Sensor, uri: string, i: number): Doc {
  return { '@odata.id': `${uri}/${i}`, MemberId: String(i), Name: s.name, SensorNumber: s.number, Status: status(s), ...defined({ PhysicalContext: physicalContext(s) }) };
}

function thermalDoc(bmc: BmcCore): Doc {
  const temps = analog(bmc, SensorType.Temperature).map((s, i) => ({
    ...common(s, `${THERMAL_URI}#/Temperatures`, i),
    ReadingCelsius: reading(s),
    ...thresholds(s),
    MinReadingRangeTemp: round(s.cfg.analog!.min),
    MaxReadingRangeTemp: round(s.cfg.analog!.max),
  }));
  const fans = analog(bmc, SensorType.Fan).map((s, i) => ({
    ...common(s, `${THERMAL_URI}#/Fans`, i),
    Reading: reading(s),
    ReadingUnits: 'RPM',
    ...thresholds(s),
    MinReadingRange: round(s.cfg.analog!.min),
    MaxReadingRange: round(s.cfg.analog!.max),
  }));
  return resource(THERMAL_URI, THERMAL_TYPE, 'Thermal', 'Thermal', { Temperatures: temps, Fans: fans, Status: { State: 'Enabled', Health: worst([...temps, ...fans]) } });
}

function powerDoc(bmc: BmcCore): Doc {
  const voltages = analog(bmc, SensorType.Voltage).map((s, i) => ({
    ...common(s, `${POWER_URI}#/Voltages`, i),
    ReadingVolts: reading(s),
    ...thresholds(s),
    MinReadingRange: round(s.cfg.analog!.min),
    MaxReadingRange: round(s.cfg.analog!.max),
  }));
  // Power supply sensors (sensor-specific, Table 42-3 type 08h): offset 0 presence, 1 failure,
  // 2 predictive failure, 3 input lost.
  const supplies = bmc.sensors.list
    .filter((s) => s.cfg.sensorType === SensorType.PowerSupply && !s.eventOnly)
    .map((s, i) => {
      const present = (s.state & 0x01) !== 0;
      const health = s.state & 0x0a ? 'Critical' : s.state & 0x04 ? 'Warning' : 'OK';
      return { '@odata.id': `${POWER_URI}#/PowerSupplies/${i}`, MemberId: String(i), Name: s.name, Status: present ? { State: 'Enabled', Health: health } : { State: 'Absent' } };
    });
  return resource(POWER_URI, POWER_TYPE, 'Power', 'Power', { Voltages: voltages, PowerSupplies: supplies });
}

function worst(members: readonly Doc[]): string {
  const hs = members.map((m) => (m.Status as Doc).Health);
  return hs.includes('Critical') ? 'Critical' : hs.includes('Warning') ? 'Warning' : 'OK';
}

function chassisDoc(bmc: BmcCore): Doc {
  const fru = fru0(bmc);
  const on = bmc.chassis.poweredOn;
  return resource(CHASSIS_URI, CHASSIS_TYPE, CHASSIS_ID, 'Chassis', {
    ChassisType: chassisType(fru.chassis?.type),
    ...defined({
      Manufacturer: fieldText(fru.product?.manufacturer) ?? fieldText(fru.board?.manufacturer),
      Model: fieldText(fru.product?.name),
      SerialNumber: fieldText(fru.chassis?.serialNumber),
      PartNumber: fieldText(fru.chassis?.partNumber),
    }),
    PowerState: on ? 'On' : 'Off',
    LocationIndicatorActive: bmc.chassis.status().identifyState !== 0,
    // Chassis intrusion (Get Chassis Status) is a physical security state.
    PhysicalSecurity: { IntrusionSensor: bmc.chassis.intrusion ? 'HardwareIntrusion' : 'Normal' },
    Status: { State: 'Enabled', Health: 'OK' },
    Thermal: link(THERMAL_URI),
    Power: link(POWER_URI),
    Links: { ComputerSystems: [link(SYSTEM_URI)], ManagedBy: [link(MANAGER_URI)] },
  });
}

const PATCH_SCHEMA: ObjectSchema = { type: 'object', properties: { LocationIndicatorActive: { type: 'boolean' } } };

function mustBeOurs(id: string | undefined, path: string): void {
  if (id !== CHASSIS_ID) throw notFound(path);
}

export const chassisRoutes: Route[] = [
  { pattern: `${ROOT}/Chassis`, get: () => collection(`${ROOT}/Chassis`, 'ChassisCollection', 'Chassis', [CHASSIS_URI]) },
  {
    pattern: `${ROOT}/Chassis/{id}`,
    get: ({ svc, params, path }) => (mustBeOurs(params.id, path), chassisDoc(svc.bmc)),
    patch: (c, body, current) => {
      mustBeOurs(c.params.id, c.path);
      requirePrivilege(c.principal, 'ConfigureComponents');
      const b = checkProperties(body, PATCH_SCHEMA, current);
      if (typeof b.LocationIndicatorActive === 'boolean') identify(c.svc.bmc, b.LocationIndicatorActive);
    },
  },
  { pattern: `${ROOT}/Chassis/{id}/Thermal`, get: ({ svc, params, path }) => (mustBeOurs(params.id, path), thermalDoc(svc.bmc)) },
  { pattern: `${ROOT}/Chassis/{id}/Power`, get: ({ svc, params, path }) => (mustBeOurs(params.id, path), powerDoc(svc.bmc)) },
];
