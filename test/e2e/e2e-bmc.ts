// The BMC config the end-to-end tests serve, and what ipmitool prints for it.

/** A BMC no default could be mistaken for: its own manufacturer, product and firmware, sensors. */
export const E2E_BMC_YAML = `
identity:
  manufacturerId: 0xB0E2E
  productId: 0x4E2E
  firmware: "7.42"
  deviceRevision: 3
sensors:
  - name: E2E Inlet
    number: 0x10
    type: temperature
    entity: air inlet
    unit: degrees C
    range: [0, 255]
    thresholds: { unc: 60, ucr: 70 }
    value: 23
  - name: E2E FAN
    number: 0x11
    type: fan
    unit: RPM
    range: [0, 25500]
    value: 4200
`;

/** ipmitool mc info lines for E2E_BMC_YAML. */
export const E2E_MC_INFO = [/^Device Revision\s+: 3$/m, /^Firmware Revision\s+: 7\.42$/m, /^Manufacturer ID\s+: 724526$/m, /^Product ID\s+: 20014 \(0x4e2e\)$/m];
