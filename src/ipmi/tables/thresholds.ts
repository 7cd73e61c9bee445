// Sensor thresholds: the spec's six names, their order in Get/Set Sensor Thresholds (IPMI v2.0
// §35.8-35.9: LNC, LC, LNR, UNC, UC, UNR, the same bit order as the readable/settable masks and
// the Get Sensor Reading comparison bits), and the labels ipmitool 1.8.19 prints for them.

export type ThresholdName =
  | 'lowerNonCritical'
  | 'lowerCritical'
  | 'lowerNonRecoverable'
  | 'upperNonCritical'
  | 'upperCritical'
  | 'upperNonRecoverable';

/** Raw threshold values, keyed by spec name. */
export type Thresholds = Record<ThresholdName, number>;

/** Bit i of a threshold mask or comparison-status byte is thresholdOrder[i]. */
export const thresholdOrder: readonly ThresholdName[] = [
  'lowerNonCritical',
  'lowerCritical',
  'lowerNonRecoverable',
  'upperNonCritical',
  'upperCritical',
  'upperNonRecoverable',
];

export interface ThresholdLabels {
  /** `sdr elist` status column and `sensor thresh` argument ("lnc", "ucr", ...). */
  readonly abbreviation: string;
  /** `sdr list` status column ("nc", "cr", "nr"). */
  readonly severity: string;
  /** `sensor get` / `-v sdr list` label ("Lower Non-Critical", ...). */
  readonly label: string;
}

export const thresholdLabels: Readonly<Record<ThresholdName, ThresholdLabels>> = {
  lowerNonCritical: { abbreviation: 'lnc', severity: 'nc', label: 'Lower Non-Critical' },
  lowerCritical: { abbreviation: 'lcr', severity: 'cr', label: 'Lower Critical' },
  lowerNonRecoverable: { abbreviation: 'lnr', severity: 'nr', label: 'Lower Non-Recoverable' },
  upperNonCritical: { abbreviation: 'unc', severity: 'nc', label: 'Upper Non-Critical' },
  upperCritical: { abbreviation: 'ucr', severity: 'cr', label: 'Upper Critical' },
  upperNonRecoverable: { abbreviation: 'unr', severity: 'nr', label: 'Upper Non-Recoverable' },
};

// ipmitool reports the most severe crossed threshold, lower before upper at equal severity.
const statusPrecedence: readonly ThresholdName[] = [
  'lowerNonRecoverable',
  'upperNonRecoverable',
  'lowerCritical',
  'upperCritical',
  'lowerNonCritical',
  'upperNonCritical',
];

/**
 * The threshold ipmitool reports for a comparison-status byte (Get Sensor Reading byte 3, bits
 * 0-5), or undefined when none is set ("ok").
 */
export function crossedThreshold(status: number): ThresholdName | undefined {
  return statusPrecedence.find((name) => status & (1 << thresholdOrder.indexOf(name)));
}
