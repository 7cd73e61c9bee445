// The sensors of the embedded default BMC (`ipmi-sim serve` without --config): a typical 1U
// server with two CPU temperatures, inlet and exhaust, three fans, the 12V/5V/3.3V rails, two
// PSU status sensors, the watchdog and a chassis intrusion switch. Values sit on each sensor's
// raw grid, so what ipmitool and FreeIPMI print is exactly the configured value. The watchdog
// is sensor 0, the number QEMU's and OpenIPMI's simulators give it.

export const DEFAULT_SENSORS_YAML = `
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
