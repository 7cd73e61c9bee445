// FRU chassis info area "chassis type" (SMBIOS System Enclosure type) names as ipmitool 1.8.19's
// `fru print` shows them. ipmitool prints codes beyond its table as "Unknown" (code 2).

/** Index = chassis type code. */
export const chassisTypeNames: readonly string[] = [
  'Unspecified', // 0x00
  'Other', // 0x01
  'Unknown', // 0x02
  'Desktop', // 0x03
  'Low Profile Desktop', // 0x04
  'Pizza Box', // 0x05
  'Mini Tower', // 0x06
  'Tower', // 0x07
  'Portable', // 0x08
  'LapTop', // 0x09
  'Notebook', // 0x0a
  'Hand Held', // 0x0b
  'Docking Station', // 0x0c
  'All in One', // 0x0d
  'Sub Notebook', // 0x0e
  'Space-saving', // 0x0f
  'Lunch Box', // 0x10
  'Main Server Chassis', // 0x11
  'Expansion Chassis', // 0x12
  'SubChassis', // 0x13
  'Bus Expansion Chassis', // 0x14
  'Peripheral Chassis', // 0x15
  'RAID Chassis', // 0x16
  'Rack Mount Chassis', // 0x17
  'Sealed-case PC', // 0x18
  'Multi-system Chassis', // 0x19
  'CompactPCI', // 0x1a
  'AdvancedTCA', // 0x1b
  'Blade', // 0x1c
  'Blade Enclosure', // 0x1d
];

/** The chassis type text ipmitool prints. */
export function chassisTypeName(code: number): string {
  return chassisTypeNames[code] ?? chassisTypeNames[2]!;
}
