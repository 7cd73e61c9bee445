// Privilege names as configs spell them (ipmitool's names, lower case), and their IPMI values.

export const PRIVILEGES = ['callback', 'user', 'operator', 'administrator', 'oem', 'no-access'] as const;
export type PrivilegeName = (typeof PRIVILEGES)[number];

export function privilegeValue(name: PrivilegeName): number {
  return name === 'no-access' ? 0x0f : PRIVILEGES.indexOf(name) + 1;
}
