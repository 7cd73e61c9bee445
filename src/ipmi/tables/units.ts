// Sensor unit type codes (IPMI v2.0 Table 43-15) with ipmitool 1.8.19's spellings, and its rule
// for combining SDR "Sensor Units 1/2/3" into the unit text of `sdr list` and `sensor list`.

/** Index = unit type code, 0 ("unspecified") to 92 ("grams"). */
export const unitNames: readonly string[] = [
  'unspecified', 'degrees C', 'degrees F', 'degrees K', 'Volts', 'Amps', // 0-5
  'Watts', 'Joules', 'Coulombs', 'VA', 'Nits', 'lumen', // 6-11
  'lux', 'Candela', 'kPa', 'PSI', 'Newton', 'CFM', // 12-17
  'RPM', 'Hz', 'microsecond', 'millisecond', 'second', 'minute', // 18-23
  'hour', 'day', 'week', 'mil', 'inches', 'feet', // 24-29
  'cu in', 'cu feet', 'mm', 'cm', 'm', 'cu cm', // 30-35
  'cu m', 'liters', 'fluid ounce', 'radians', 'steradians', 'revolutions', // 36-41
  'cycles', 'gravities', 'ounce', 'pound', 'ft-lb', 'oz-in', // 42-47
  'gauss', 'gilberts', 'henry', 'millihenry', 'farad', 'microfarad', // 48-53
  'ohms', 'siemens', 'mole', 'becquerel', 'PPM', 'reserved', // 54-59
  'Decibels', 'DbA', 'DbC', 'gray', 'sievert', 'color temp deg K', // 60-65
  'bit', 'kilobit', 'megabit', 'gigabit', 'byte', 'kilobyte', // 66-71
  'megabyte', 'gigabyte', 'word', 'dword', 'qword', 'line', // 72-77
  'hit', 'miss', 'retry', 'reset', 'overflow', 'underrun', // 78-83
  'collision', 'packets', 'messages', 'characters', 'error', 'correctable error', // 84-89
  'uncorrectable error', 'fatal error', 'grams', // 90-92
];

/** Sensor Units 1 bits [2:1]: how the modifier unit combines with the base unit. */
export const ModifierUnitRelation = {
  None: 0,
  Divide: 1,
  Multiply: 2,
} as const;

/** Units 1/2/3 as the SDR carries them (full and compact records share this layout). */
export interface UnitsSpec {
  readonly percentage: boolean;
  readonly modifierUnitRelation: number;
  readonly baseUnit: number;
  readonly modifierUnit: number;
}

function unitName(code: number): string {
  return unitNames[code] ?? 'invalid';
}

/**
 * The unit text ipmitool prints: "degrees C", "Watts/hour", "% RPM", and "percent" when a
 * percentage has an unspecified base unit and no modifier.
 */
export function unitString(units: UnitsSpec): string {
  const pct = units.percentage ? '% ' : '';
  const base = unitName(units.baseUnit);
  switch (units.modifierUnitRelation) {
    case ModifierUnitRelation.Divide:
      return `${pct}${base}/${unitName(units.modifierUnit)}`;
    case ModifierUnitRelation.Multiply:
      return `${pct}${base}*${unitName(units.modifierUnit)}`;
    default:
      return units.baseUnit === 0 && units.percentage ? 'percent' : pct + base;
  }
}
