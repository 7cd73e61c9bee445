// Sensor type codes (IPMI v2.0 Table 42-3) and the names ipmitool 1.8.19 prints for them in
// `sdr elist`, `sel list` and `sensor get` (its generic sensor type table; codes above 0x2C and
// OEM codes 0xC0-0xFF print "Unknown" unless an OEM is recognised, which we do not model).

export const SensorType = {
  Temperature: 0x01,
  Voltage: 0x02,
  Current: 0x03,
  Fan: 0x04,
  PhysicalSecurity: 0x05,
  PlatformSecurity: 0x06,
  Processor: 0x07,
  PowerSupply: 0x08,
  PowerUnit: 0x09,
  CoolingDevice: 0x0a,
  OtherUnitsBased: 0x0b,
  Memory: 0x0c,
  DriveSlot: 0x0d,
  PostMemoryResize: 0x0e,
  SystemFirmwareProgress: 0x0f,
  EventLoggingDisabled: 0x10,
  Watchdog1: 0x11,
  SystemEvent: 0x12,
  CriticalInterrupt: 0x13,
  ButtonSwitch: 0x14,
  ModuleBoard: 0x15,
  Microcontroller: 0x16,
  AddInCard: 0x17,
  Chassis: 0x18,
  ChipSet: 0x19,
  OtherFru: 0x1a,
  CableInterconnect: 0x1b,
  Terminator: 0x1c,
  SystemBootInitiated: 0x1d,
  BootError: 0x1e,
  OsBoot: 0x1f,
  OsCriticalStop: 0x20,
  SlotConnector: 0x21,
  SystemAcpiPowerState: 0x22,
  Watchdog2: 0x23,
  PlatformAlert: 0x24,
  EntityPresence: 0x25,
  MonitorAsic: 0x26,
  Lan: 0x27,
  ManagementSubsystemHealth: 0x28,
  Battery: 0x29,
  SessionAudit: 0x2a,
  VersionChange: 0x2b,
  FruState: 0x2c,
} as const;

/** Index = sensor type code. Spellings are ipmitool's ("Watchdog2", "System Firmwares", ...). */
export const sensorTypeNames: readonly string[] = [
  'reserved',
  'Temperature',
  'Voltage',
  'Current',
  'Fan',
  'Physical Security',
  'Platform Security',
  'Processor',
  'Power Supply',
  'Power Unit',
  'Cooling Device',
  'Other',
  'Memory',
  'Drive Slot / Bay',
  'POST Memory Resize',
  'System Firmwares',
  'Event Logging Disabled',
  'Watchdog1',
  'System Event',
  'Critical Interrupt',
  'Button',
  'Module / Board',
  'Microcontroller',
  'Add-in Card',
  'Chassis',
  'Chip Set',
  'Other FRU',
  'Cable / Interconnect',
  'Terminator',
  'System Boot Initiated',
  'Boot Error',
  'OS Boot',
  'OS Critical Stop',
  'Slot / Connector',
  'System ACPI Power State',
  'Watchdog2',
  'Platform Alert',
  'Entity Presence',
  'Monitor ASIC',
  'LAN',
  'Management Subsys Health',
  'Battery',
  'Session Audit',
  'Version Change',
  'FRU State',
];

/** The name ipmitool prints for a sensor type code; "Unknown" outside its table. */
export function sensorTypeName(code: number): string {
  return sensorTypeNames[code] ?? 'Unknown';
}

/**
 * Looks a sensor type up by name, case-insensitively, as `ipmitool sdr type <name>` does. ipmitool
 * searches codes 0x01-0x2B only, so "FRU State" (0x2C) is not found by name there either.
 */
export function sensorTypeByName(name: string): number | undefined {
  const wanted = name.toLowerCase();
  for (let code = 1; code < SensorType.FruState; code++) {
    if (sensorTypeNames[code]!.toLowerCase() === wanted) return code;
  }
  return undefined;
}
