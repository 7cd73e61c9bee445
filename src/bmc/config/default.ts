// The embedded default BMC (`ipmi-sim serve` without --config). examples/default.yaml is the
// same text, kept identical by a test, so users can start from a copy of it.

export const DEFAULT_CONFIG_YAML = `# ipmi-sim's embedded default BMC: what "ipmi-sim serve" runs without --config.
# A typical 1U server: two CPUs, inlet/exhaust temperatures, three fans, the 12V/5V/3.3V
# rails, two power supplies, a watchdog and a chassis intrusion switch; FRU with chassis,
# board and product areas; three users.
#
# Users (change these before listening anywhere but loopback):
#   admin    / password  ADMINISTRATOR
#   operator / operator  OPERATOR
#   user     / user      USER
#
# The manufacturer ID is IANA's 32473, reserved for documentation (RFC 5612).

identity:
  deviceId: 0x20
  deviceRevision: 1
  firmware: "2.10"
  ipmiVersion: "2.0"
  manufacturerId: 32473
  productId: 0x0001
  auxFirmwareRevision: [0, 0, 0, 0]
  additionalDeviceSupport: [sensor, sdr, sel, fru, event-receiver, event-generator, chassis]
  systemGuid: 5f0f3b34-6f47-4d1a-9c2e-3b8f4a7d1e01
  deviceGuid: 5f0f3b34-6f47-4d1a-9c2e-3b8f4a7d1e02
  firmwareVersion: "2.10"
  systemName: sim-1u

users:
  - { id: 2, name: admin, password: password, privilege: administrator }
  - { id: 3, name: operator, password: operator, privilege: operator }
  - { id: 4, name: user, password: user, privilege: user }

lan:
  channel: 1
  privilegeLimit: administrator
  cipherSuites: [17, 3, 1, 2, 6, 7, 8, 11, 12, 15, 16]
  allowCipherZero: false
  anonymousLogin: false
  authTypes:
    callback: [md2, md5, password]
    user: [md2, md5, password]
    operator: [md2, md5, password]
    admin: [md2, md5, password]

sessions:
  max: 16
  idleTimeout: 60

chassis:
  power: on
  restorePolicy: previous
  powerCycleInterval: 1
  watchdog:
    sensorNumber: 0

sel:
  capacity: 512

fru:
  - id: 0
    name: Builtin FRU
    chassis: { type: rack-mount, partNumber: SIM-CHS-1U, serialNumber: SIMCHS0001 }
    board:
      mfgDate: 2024-01-15T08:00:00Z
      manufacturer: ipmi-sim
      productName: SIM-1U Mainboard
      serialNumber: SIMBRD0001
      partNumber: SIM-MB-100
    product:
      manufacturer: ipmi-sim
      name: Simulated 1U Server
      partNumber: SIM-1U
      version: "1.0"
      serialNumber: SIM0000001

sensors:
  - name: CPU1 Temp
    type: temperature
    entity: processor.1
    unit: degrees C
    range: [0, 255]
    thresholds: { unc: 85, ucr: 90, unr: 100 }
    hysteresis: 2
    value: 45
  - name: CPU2 Temp
    type: temperature
    entity: processor.2
    unit: degrees C
    range: [0, 255]
    thresholds: { unc: 85, ucr: 90, unr: 100 }
    hysteresis: 2
    value: 47
  - name: Inlet Temp
    type: temperature
    entity: air inlet
    unit: degrees C
    range: [-40, 87]
    thresholds: { lcr: 0, lnc: 5, unc: 40, ucr: 45 }
    hysteresis: 1
    value: 22.5
  - name: Exhaust Temp
    type: temperature
    entity: system board
    unit: degrees C
    range: [0, 127]
    thresholds: { unc: 70, ucr: 75 }
    value: 35.5
  - name: FAN1
    type: fan
    entity: fan.1
    unit: RPM
    range: [0, 25500]
    thresholds: { lcr: 500, lnc: 1000 }
    value: 5400
  - name: FAN2
    type: fan
    entity: fan.2
    unit: RPM
    range: [0, 25500]
    thresholds: { lcr: 500, lnc: 1000 }
    value: 5300
  - name: FAN3
    type: fan
    entity: fan.3
    unit: RPM
    range: [0, 25500]
    thresholds: { lcr: 500, lnc: 1000 }
    value: 5500
  - name: 12V
    type: voltage
    unit: Volts
    range: [0, 15]
    thresholds: { lcr: 10.8, lnc: 11.4, unc: 12.6, ucr: 13.2 }
    value: 12.1
  - name: 5V
    type: voltage
    unit: Volts
    range: [0, 6.375]
    thresholds: { lcr: 4.5, lnc: 4.75, unc: 5.25, ucr: 5.5 }
    value: 5.05
  - name: 3.3V
    type: voltage
    unit: Volts
    range: [0, 4]
    thresholds: { lcr: 2.98, lnc: 3.14, unc: 3.46, ucr: 3.64 }
    value: 3.3
  - name: PSU1 Status
    type: power supply
    entity: psu.1
    states: [Presence detected]
  - name: PSU2 Status
    type: power supply
    entity: psu.2
    states: [Presence detected]
  - name: Watchdog
    number: 0
    type: watchdog2
    entity: management controller firmware
  - name: Chassis Intru
    type: physical security
    entity: system chassis
`;

export const DEFAULT_CONFIG_NAME = '<embedded default>';
