// The commands OpenIPMI ipmi_sim 2.0.33 answers with C1h (invalid command), so that the converted
// BMC answers them the same way (`commands: disable`). Clients choose what to ask by what a BMC
// answers: ipmitool, for one, walks the device SDRs only where Get Device SDR Info works, and
// prints the event status only where Get Sensor Event Status does.
//
// From ipmi_sim's handler tables (lanserv/bmc_app.c, bmc_chassis.c, bmc_sensor.c,
// bmc_storage.c, bmc_transport.c at v2.0.33) and its handlers' checks, confirmed against the
// Debian 2.0.33 binary: some commands have no handler at all, others answer C1h unless the MC
// (mc_add's device support and SDR flag, sel_enable's flags) or lan.conf (sol) provides them.

import { allCommands } from '../../ipmi/registry.js';

type Key = `${number}:${number}`;

/** Never handled by ipmi_sim 2.0.33 (without a loadlib module). */
const NEVER: readonly Key[] = [
  '0:6', // Set Power Restore Policy
  '0:7', // Get System Restart Cause
  '0:10', // Set Front Panel Enables
  '0:11', // Set Power Cycle Interval
  '0:15', // Get POH Counter
  '4:2', // Platform Event Message
  '4:35', // Get Sensor Reading Factors
  '4:43', // Get Sensor Event Status
  '4:48', // Set Sensor Reading And Event Status
  '6:2', // Cold Reset
  '6:3', // Warm Reset
  '6:4', // Get Self Test Results
  '6:6', // Set ACPI Power State
  '6:7', // Get ACPI Power State
  '6:8', // Get Device GUID
  '6:76', // Set User Payload Access
  '6:77', // Get User Payload Access
  '6:79', // Get Channel Payload Version
  '6:88', // Set System Info Parameters
  '6:89', // Get System Info Parameters
  '10:33', // Get SDR Repository Allocation Info (its SDR flags are "reserve" only)
  '10:37', // Partial Add SDR (likewise)
  '10:69', // Partial Add SEL Entry
  '10:92', // Get SEL Time UTC Offset
  '10:93', // Set SEL Time UTC Offset
];

const range = (netFn: number, from: number, to: number): Key[] => Array.from({ length: to - from + 1 }, (_, i) => `${netFn}:${from + i}` as Key);

/** Device support bits (Get Device ID byte 6) whose commands ipmi_sim refuses without them. */
const BY_DEVICE_SUPPORT: readonly { bit: number; what: string; keys: readonly Key[] }[] = [
  { bit: 0x04, what: 'no SEL device', keys: range(10, 0x40, 0x49) },
  { bit: 0x02, what: 'no SDR repository device', keys: range(10, 0x20, 0x2b) },
  { bit: 0x20, what: 'no IPMB event generator', keys: ['4:0', '4:1'] },
  { bit: 0x80, what: 'no chassis device', keys: range(0, 0x00, 0x0f) },
];

export interface IpmiSimCommandSet {
  /** Device support byte of mc_add. */
  deviceSupport: number;
  hasDeviceSdrs: boolean;
  /** sel_enable's operation flags (bit 0 allocation info, 1 reserve, 3 delete); undefined without sel_enable. */
  selFlags: number | undefined;
  solConfigured: boolean;
}

export interface DisabledCommand {
  name: string;
  why: string;
}

/** The commands of ipmi-sim's command table that ipmi_sim answers with C1h, in table order. */
export function ipmiSimMissingCommands(c: IpmiSimCommandSet): DisabledCommand[] {
  const why = new Map<Key, string>();
  const add = (keys: readonly Key[], reason: string) => keys.forEach((k) => why.has(k) || why.set(k, reason));
  add(NEVER, 'not in ipmi_sim');
  for (const d of BY_DEVICE_SUPPORT) if (!(c.deviceSupport & d.bit)) add(d.keys, d.what);
  if (!c.hasDeviceSdrs) add(['4:32', '4:33', '4:34'], 'no-device-sdrs');
  const sel = c.selFlags ?? 0;
  if (!(sel & 0x01)) add(['10:65'], 'sel_enable flags without allocation info (bit 0)');
  if (!(sel & 0x02)) add(['10:66'], 'sel_enable flags without reserve (bit 1)');
  if (!(sel & 0x08)) add(['10:70'], 'sel_enable flags without delete (bit 3)');
  if (!c.solConfigured) add(['6:72', '6:73', '6:74', '6:75', '12:33', '12:34'], 'no sol in lan.conf');
  return allCommands.flatMap((s) => {
    const reason = why.get(`${s.netFn}:${s.cmd}`);
    return reason ? [{ name: s.name, why: reason }] : [];
  });
}
