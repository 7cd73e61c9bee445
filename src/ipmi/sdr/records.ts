// Sensor Data Record codecs (IPMI v2.0 §43): the 5-byte header, full (01h), compact (02h) and
// event-only (03h) sensor records, and generic (10h), FRU (11h) and MC (12h) device locators. Other record
// types are kept as raw bodies so a repository round-trips byte for byte. Byte numbers in the
// comments are the spec's 1-based ones, header included.

import { Reader, Writer, ProtocolError, bits } from '../../protocol/bytes.js';
import type { Thresholds } from '../tables/thresholds.js';
import type { UnitsSpec } from '../tables/units.js';
import {
  decodeBcdPlus,
  decodeLatin1,
  decodeSixBitAscii,
  encodeBcdPlus,
  encodeLatin1,
  encodeSixBitAscii,
} from '../type-length.js';

export const SdrRecordType = {
  FullSensor: 0x01,
  CompactSensor: 0x02,
  EventOnlySensor: 0x03,
  EntityAssociation: 0x08,
  DeviceRelativeEntityAssociation: 0x09,
  GenericDeviceLocator: 0x10,
  FruDeviceLocator: 0x11,
  McDeviceLocator: 0x12,
  McConfirmation: 0x13,
  BmcMessageChannelInfo: 0x14,
  Oem: 0xc0,
} as const;

/** The SDR version byte every IPMI v1.5/v2.0 repository uses ("51h"). */
export const SDR_VERSION = 0x51;
/** ID strings are at most 16 bytes (§43.1, bytes 49-64 of a full record). */
export const MAX_ID_STRING_BYTES = 16;

/** ID string type/length byte bits [7:6] (§43.15). Type 00 ("Unicode") is kept byte for byte. */
export type IdStringType = 'unicode' | 'bcdPlus' | 'sixBitAscii' | 'latin1';
const idStringTypes: readonly IdStringType[] = ['unicode', 'bcdPlus', 'sixBitAscii', 'latin1'];

interface SdrHeaderFields {
  recordId: number;
  /** Header byte 3; 0x51 for all current records. */
  sdrVersion: number;
}

interface IdString {
  /** Omitted = 8-bit ASCII+Latin-1, the default for encoding; decoding sets it only for the others. */
  idStringType?: IdStringType;
  idString: string;
}

/** Sensor initialization, full/compact byte 11. */
export interface SensorInitialization {
  settable: boolean;
  initScanning: boolean;
  initEvents: boolean;
  initThresholds: boolean;
  initHysteresis: boolean;
  initSensorType: boolean;
  /** Event generation enabled at power-up. */
  eventGenerationEnabled: boolean;
  /** Sensor scanning enabled at power-up. */
  sensorScanningEnabled: boolean;
}

/** Sensor capabilities, full/compact byte 12. */
export interface SensorCapabilities {
  ignoreIfEntityAbsent: boolean;
  autoRearm: boolean;
  /** 0 none, 1 readable, 2 readable and settable, 3 fixed/unreadable. */
  hysteresisSupport: number;
  /** Same encoding as hysteresisSupport. */
  thresholdAccess: number;
  /** 0 per threshold/state, 1 entire sensor, 2 global only, 3 none. */
  eventMessageControl: number;
}

/** Sensor Units 1-3, full/compact bytes 21-23. */
export interface SensorUnits extends UnitsSpec {
  /** 0 unsigned, 1 one's complement, 2 two's complement, 3 no analog reading. */
  analogDataFormat: number;
  /** 0 none, 1 per µs ... 6 per day. */
  rateUnit: number;
}

/** Keys and entity shared by every sensor record (bytes 6-10) plus type codes and the ID. */
interface SensorIdentity extends SdrHeaderFields, IdString {
  /** Byte 6 whole: [7:1] slave address or software ID, [0] 1 = software ID (0x20 = BMC). */
  sensorOwnerId: number;
  sensorOwnerLun: number;
  channelNumber: number;
  sensorNumber: number;
  entityId: number;
  entityInstance: number;
  /** Byte 10 bit 7: logical (true) or physical entity. */
  logicalEntity: boolean;
  sensorType: number;
  eventReadingType: number;
  oem: number;
}

/** Bytes 11-23, identical in full and compact records. */
interface SensorCommon extends SensorIdentity {
  initialization: SensorInitialization;
  capabilities: SensorCapabilities;
  /** Bytes 15-16: assertion event mask; for threshold sensors bits 12-14 = lower reading mask. */
  assertionMask: number;
  /** Bytes 17-18: deassertion event mask; for threshold sensors bits 12-14 = upper reading mask. */
  deassertionMask: number;
  /** Bytes 19-20: discrete reading mask; for threshold sensors readable (low byte) and settable (high byte) thresholds. */
  readingMask: number;
  units: SensorUnits;
}

/** Record sharing, compact byte 24-25 / event-only bytes 13-14. */
interface SensorSharing {
  /** 0 unspecified, 1 input, 2 output. */
  sensorDirection: number;
  /** 0 numeric, 1 alpha. */
  idStringInstanceModifierType: number;
  shareCount: number;
  entityInstanceSharing: boolean;
  idStringInstanceModifierOffset: number;
}

export interface FullSensorRecord extends SensorCommon {
  kind: 'full';
  /** Byte 24 [6:0]: 0x00-0x0B linearization functions, 0x70-0x7F non-linear. */
  linearization: number;
  /** 10-bit signed. */
  m: number;
  /** 6-bit, in ±½ raw counts. */
  tolerance: number;
  /** 10-bit signed. */
  b: number;
  /** 10-bit, in 0.01 % units, scaled by 10^accuracyExp. */
  accuracy: number;
  accuracyExp: number;
  sensorDirection: number;
  /** Result exponent K2, 4-bit signed. */
  rExp: number;
  /** B exponent K1, 4-bit signed. */
  bExp: number;
  analogFlags: { normalMinSpecified: boolean; normalMaxSpecified: boolean; nominalReadingSpecified: boolean };
  nominalReading: number;
  normalMaximum: number;
  normalMinimum: number;
  sensorMaximumReading: number;
  sensorMinimumReading: number;
  /** Raw thresholds; stored as UNR, UC, UNC, LNR, LC, LNC at bytes 37-42. */
  thresholds: Thresholds;
  positiveHysteresis: number;
  negativeHysteresis: number;
}

export interface CompactSensorRecord extends SensorCommon, SensorSharing {
  kind: 'compact';
  positiveHysteresis: number;
  negativeHysteresis: number;
}

export interface EventOnlySensorRecord extends SensorIdentity, SensorSharing {
  kind: 'eventOnly';
  /** Byte 7 [3:2]. */
  fruInventoryDeviceOwnerLun: number;
}

export interface FruDeviceLocatorRecord extends SdrHeaderFields, IdString {
  kind: 'fruLocator';
  /** Byte 6 whole (bit 0 reserved), e.g. 0x20. */
  deviceAccessAddress: number;
  /** Byte 7: FRU device ID (logical) or slave address (non-intelligent). */
  fruDeviceId: number;
  logicalFruDevice: boolean;
  accessLun: number;
  privateBusId: number;
  channelNumber: number;
  /** 0x10 = FRU inventory device behind a management controller. */
  deviceType: number;
  deviceTypeModifier: number;
  entityId: number;
  /** Byte 14 whole. */
  entityInstance: number;
  oem: number;
}

export interface GenericDeviceLocatorRecord extends SdrHeaderFields, IdString {
  kind: 'genericLocator';
  /** Byte 6 whole (bit 0 reserved): the controller the device sits behind. */
  deviceAccessAddress: number;
  /** Byte 7 whole (bit 0 reserved): the device's I2C slave address. */
  deviceSlaveAddress: number;
  /** Byte 8 [7:5]. */
  channelNumber: number;
  accessLun: number;
  privateBusId: number;
  /** Byte 9 [2:0]: how many consecutive addresses the device answers on. */
  addressSpan: number;
  deviceType: number;
  deviceTypeModifier: number;
  entityId: number;
  /** Byte 14 whole. */
  entityInstance: number;
  oem: number;
}

export interface McDeviceLocatorRecord extends SdrHeaderFields, IdString {
  kind: 'mcLocator';
  /** Byte 6 whole (bit 0 reserved), e.g. 0x20. */
  deviceSlaveAddress: number;
  channelNumber: number;
  /** Byte 8 [7:5]: ACPI system / device power state notification, static controller. */
  powerStateNotification: number;
  /** Byte 8 [3:0]: init-agent error logging and event message generation. */
  globalInitialization: number;
  /** Byte 9: same bits as Get Device ID "additional device support". */
  deviceCapabilities: number;
  entityId: number;
  entityInstance: number;
  logicalEntity: boolean;
  oem: number;
}

/** Any record type this module does not interpret; body = the bytes after the header. */
export interface RawSdrRecord extends SdrHeaderFields {
  kind: 'raw';
  recordType: number;
  body: Uint8Array;
}

export type SensorRecord = FullSensorRecord | CompactSensorRecord | EventOnlySensorRecord;
export type SdrRecord = SensorRecord | GenericDeviceLocatorRecord | FruDeviceLocatorRecord | McDeviceLocatorRecord | RawSdrRecord;

const recordTypeOfKind = {
  full: SdrRecordType.FullSensor,
  compact: SdrRecordType.CompactSensor,
  eventOnly: SdrRecordType.EventOnlySensor,
  genericLocator: SdrRecordType.GenericDeviceLocator,
  fruLocator: SdrRecordType.FruDeviceLocator,
  mcLocator: SdrRecordType.McDeviceLocator,
} as const;

/** The header record type byte for a record. */
export function sdrRecordType(record: SdrRecord): number {
  return record.kind === 'raw' ? record.recordType : recordTypeOfKind[record.kind];
}

// ---- field helpers -----------------------------------------------------------------------

const flag = (value: number, bit: number): boolean => ((value >> bit) & 1) === 1;
const bit = (on: boolean, n: number): number => (on ? 1 << n : 0);

/** Sign-extends a `width`-bit two's complement field (M, B: 10 bits; K1, K2: 4 bits). */
function signed(value: number, width: number): number {
  const sign = 1 << (width - 1);
  return (value & (sign - 1)) - (value & sign);
}

function checkRange(value: number, min: number, max: number, what: string): number {
  if (!Number.isInteger(value) || value < min || value > max) throw new RangeError(`${what} ${value} outside ${min}..${max}`);
  return value;
}

function readIdString(r: Reader): IdString {
  const typeLength = r.u8('ID string type/length');
  const idStringType = idStringTypes[typeLength >> 6]!;
  const data = r.bytes(typeLength & 0x1f, 'ID string');
  switch (idStringType) {
    case 'bcdPlus':
      return { idStringType, idString: decodeBcdPlus(data) };
    case 'sixBitAscii':
      return { idStringType, idString: decodeSixBitAscii(data) };
    case 'latin1':
      return { idString: decodeLatin1(data) };
    case 'unicode':
      return { idStringType, idString: String.fromCharCode(...data) };
  }
}

function writeIdString(w: Writer, s: IdString): void {
  const type = s.idStringType ?? 'latin1';
  const data = type === 'bcdPlus' ? encodeBcdPlus(s.idString) : type === 'sixBitAscii' ? encodeSixBitAscii(s.idString) : encodeLatin1(s.idString);
  if (data.length > MAX_ID_STRING_BYTES) throw new RangeError(`ID string "${s.idString}" needs ${data.length} bytes; SDRs allow ${MAX_ID_STRING_BYTES}`);
  w.u8((idStringTypes.indexOf(type) << 6) | data.length);
  w.bytes(data);
}

/** Bytes 6-10. */
function readKeysAndEntity(r: Reader) {
  const sensorOwnerId = r.u8('sensor owner ID');
  const lunChannel = r.u8('sensor owner LUN');
  const sensorNumber = r.u8('sensor number');
  const entityId = r.u8('entity ID');
  const instance = r.u8('entity instance');
  return {
    lunChannel,
    keys: {
      sensorOwnerId,
      sensorOwnerLun: lunChannel & 0x03,
      channelNumber: lunChannel >> 4,
      sensorNumber,
      entityId,
      entityInstance: instance & 0x7f,
      logicalEntity: flag(instance, 7),
    },
  };
}

function writeKeysAndEntity(w: Writer, s: SensorIdentity, lunBits3to2: number): void {
  w.u8(s.sensorOwnerId);
  w.u8((checkRange(s.channelNumber, 0, 15, 'channel number') << 4) | (lunBits3to2 << 2) | checkRange(s.sensorOwnerLun, 0, 3, 'sensor owner LUN'));
  w.u8(s.sensorNumber);
  w.u8(s.entityId);
  w.u8(bit(s.logicalEntity, 7) | checkRange(s.entityInstance, 0, 0x7f, 'entity instance'));
}

/** Bytes 6-23 of full and compact records. */
function readSensorCommon(r: Reader, header: SdrHeaderFields) {
  const { keys } = readKeysAndEntity(r);
  const init = r.u8('sensor initialization');
  const caps = r.u8('sensor capabilities');
  const sensorType = r.u8('sensor type');
  const eventReadingType = r.u8('event/reading type');
  const assertionMask = r.u16('assertion event mask');
  const deassertionMask = r.u16('deassertion event mask');
  const readingMask = r.u16('reading mask');
  const units1 = r.u8('sensor units 1');
  const baseUnit = r.u8('base unit');
  const modifierUnit = r.u8('modifier unit');
  return {
    ...header,
    ...keys,
    sensorType,
    eventReadingType,
    initialization: {
      settable: flag(init, 7),
      initScanning: flag(init, 6),
      initEvents: flag(init, 5),
      initThresholds: flag(init, 4),
      initHysteresis: flag(init, 3),
      initSensorType: flag(init, 2),
      eventGenerationEnabled: flag(init, 1),
      sensorScanningEnabled: flag(init, 0),
    },
    capabilities: {
      ignoreIfEntityAbsent: flag(caps, 7),
      autoRearm: flag(caps, 6),
      hysteresisSupport: bits(caps, 4, 2),
      thresholdAccess: bits(caps, 2, 2),
      eventMessageControl: bits(caps, 0, 2),
    },
    assertionMask,
    deassertionMask,
    readingMask,
    units: {
      analogDataFormat: bits(units1, 6, 2),
      rateUnit: bits(units1, 3, 3),
      modifierUnitRelation: bits(units1, 1, 2),
      percentage: flag(units1, 0),
      baseUnit,
      modifierUnit,
    },
  };
}

function writeSensorCommon(w: Writer, s: SensorCommon): void {
  writeKeysAndEntity(w, s, 0);
  const i = s.initialization;
  w.u8(
    bit(i.settable, 7) |
      bit(i.initScanning, 6) |
      bit(i.initEvents, 5) |
      bit(i.initThresholds, 4) |
      bit(i.initHysteresis, 3) |
      bit(i.initSensorType, 2) |
      bit(i.eventGenerationEnabled, 1) |
      bit(i.sensorScanningEnabled, 0),
  );
  const c = s.capabilities;
  w.u8(
    bit(c.ignoreIfEntityAbsent, 7) |
      bit(c.autoRearm, 6) |
      (checkRange(c.hysteresisSupport, 0, 3, 'hysteresis support') << 4) |
      (checkRange(c.thresholdAccess, 0, 3, 'threshold access') << 2) |
      checkRange(c.eventMessageControl, 0, 3, 'event message control'),
  );
  w.u8(s.sensorType).u8(s.eventReadingType);
  w.u16(s.assertionMask).u16(s.deassertionMask).u16(s.readingMask);
  const u = s.units;
  w.u8(
    (checkRange(u.analogDataFormat, 0, 3, 'analog data format') << 6) |
      (checkRange(u.rateUnit, 0, 7, 'rate unit') << 3) |
      (checkRange(u.modifierUnitRelation, 0, 3, 'modifier unit relation') << 1) |
      bit(u.percentage, 0),
  );
  w.u8(u.baseUnit).u8(u.modifierUnit);
}

function readSharing(r: Reader): SensorSharing {
  const b1 = r.u8('record sharing');
  const b2 = r.u8('record sharing');
  return {
    sensorDirection: bits(b1, 6, 2),
    idStringInstanceModifierType: bits(b1, 4, 2),
    shareCount: bits(b1, 0, 4),
    entityInstanceSharing: flag(b2, 7),
    idStringInstanceModifierOffset: b2 & 0x7f,
  };
}

function writeSharing(w: Writer, s: SensorSharing): void {
  w.u8(
    (checkRange(s.sensorDirection, 0, 3, 'sensor direction') << 6) |
      (checkRange(s.idStringInstanceModifierType, 0, 3, 'ID string instance modifier type') << 4) |
      checkRange(s.shareCount, 0, 15, 'share count'),
  );
  w.u8(bit(s.entityInstanceSharing, 7) | checkRange(s.idStringInstanceModifierOffset, 0, 0x7f, 'ID string instance modifier offset'));
}

// ---- per-type bodies ------------------------------------------------------------------------

function readFull(r: Reader, header: SdrHeaderFields): FullSensorRecord {
  const common = readSensorCommon(r, header);
  const linearization = r.u8('linearization') & 0x7f;
  const mLow = r.u8('M');
  const mTol = r.u8('M, tolerance');
  const bLow = r.u8('B');
  const bAcc = r.u8('B, accuracy');
  const accDir = r.u8('accuracy, direction');
  const exps = r.u8('R, B exponents');
  const analog = r.u8('analog characteristic flags');
  const nominalReading = r.u8('nominal reading');
  const normalMaximum = r.u8('normal maximum');
  const normalMinimum = r.u8('normal minimum');
  const sensorMaximumReading = r.u8('sensor maximum reading');
  const sensorMinimumReading = r.u8('sensor minimum reading');
  const upperNonRecoverable = r.u8('upper non-recoverable threshold');
  const upperCritical = r.u8('upper critical threshold');
  const upperNonCritical = r.u8('upper non-critical threshold');
  const lowerNonRecoverable = r.u8('lower non-recoverable threshold');
  const lowerCritical = r.u8('lower critical threshold');
  const lowerNonCritical = r.u8('lower non-critical threshold');
  const positiveHysteresis = r.u8('positive-going hysteresis');
  const negativeHysteresis = r.u8('negative-going hysteresis');
  r.skip(2, 'reserved');
  const oem = r.u8('OEM');
  return {
    kind: 'full',
    ...common,
    linearization,
    m: signed(mLow | (bits(mTol, 6, 2) << 8), 10),
    tolerance: mTol & 0x3f,
    b: signed(bLow | (bits(bAcc, 6, 2) << 8), 10),
    accuracy: (bAcc & 0x3f) | (bits(accDir, 4, 4) << 6),
    accuracyExp: bits(accDir, 2, 2),
    sensorDirection: bits(accDir, 0, 2),
    rExp: signed(exps >> 4, 4),
    bExp: signed(exps & 0x0f, 4),
    analogFlags: { normalMinSpecified: flag(analog, 2), normalMaxSpecified: flag(analog, 1), nominalReadingSpecified: flag(analog, 0) },
    nominalReading,
    normalMaximum,
    normalMinimum,
    sensorMaximumReading,
    sensorMinimumReading,
    thresholds: { lowerNonCritical, lowerCritical, lowerNonRecoverable, upperNonCritical, upperCritical, upperNonRecoverable },
    positiveHysteresis,
    negativeHysteresis,
    oem,
    ...readIdString(r),
  };
}

function writeFull(w: Writer, s: FullSensorRecord): void {
  writeSensorCommon(w, s);
  const m = checkRange(s.m, -512, 511, 'M') & 0x3ff;
  const b = checkRange(s.b, -512, 511, 'B') & 0x3ff;
  const accuracy = checkRange(s.accuracy, 0, 0x3ff, 'accuracy');
  w.u8(checkRange(s.linearization, 0, 0x7f, 'linearization'));
  w.u8(m & 0xff).u8(((m >> 8) << 6) | checkRange(s.tolerance, 0, 0x3f, 'tolerance'));
  w.u8(b & 0xff).u8(((b >> 8) << 6) | (accuracy & 0x3f));
  w.u8(((accuracy >> 6) << 4) | (checkRange(s.accuracyExp, 0, 3, 'accuracy exponent') << 2) | checkRange(s.sensorDirection, 0, 3, 'sensor direction'));
  w.u8(((checkRange(s.rExp, -8, 7, 'R exponent') & 0x0f) << 4) | (checkRange(s.bExp, -8, 7, 'B exponent') & 0x0f));
  const f = s.analogFlags;
  w.u8(bit(f.normalMinSpecified, 2) | bit(f.normalMaxSpecified, 1) | bit(f.nominalReadingSpecified, 0));
  w.u8(s.nominalReading).u8(s.normalMaximum).u8(s.normalMinimum).u8(s.sensorMaximumReading).u8(s.sensorMinimumReading);
  const t = s.thresholds;
  w.u8(t.upperNonRecoverable).u8(t.upperCritical).u8(t.upperNonCritical);
  w.u8(t.lowerNonRecoverable).u8(t.lowerCritical).u8(t.lowerNonCritical);
  w.u8(s.positiveHysteresis).u8(s.negativeHysteresis);
  w.fill(0, 2);
  w.u8(s.oem);
  writeIdString(w, s);
}

function readCompact(r: Reader, header: SdrHeaderFields): CompactSensorRecord {
  const common = readSensorCommon(r, header);
  const sharing = readSharing(r);
  const positiveHysteresis = r.u8('positive-going hysteresis');
  const negativeHysteresis = r.u8('negative-going hysteresis');
  r.skip(3, 'reserved');
  const oem = r.u8('OEM');
  return { kind: 'compact', ...common, ...sharing, positiveHysteresis, negativeHysteresis, oem, ...readIdString(r) };
}

function writeCompact(w: Writer, s: CompactSensorRecord): void {
  writeSensorCommon(w, s);
  writeSharing(w, s);
  w.u8(s.positiveHysteresis).u8(s.negativeHysteresis);
  w.fill(0, 3);
  w.u8(s.oem);
  writeIdString(w, s);
}

function readEventOnly(r: Reader, header: SdrHeaderFields): EventOnlySensorRecord {
  const { keys, lunChannel } = readKeysAndEntity(r);
  const sensorType = r.u8('sensor type');
  const eventReadingType = r.u8('event/reading type');
  const sharing = readSharing(r);
  r.skip(1, 'reserved');
  const oem = r.u8('OEM');
  return {
    kind: 'eventOnly',
    ...header,
    ...keys,
    fruInventoryDeviceOwnerLun: bits(lunChannel, 2, 2),
    sensorType,
    eventReadingType,
    ...sharing,
    oem,
    ...readIdString(r),
  };
}

function writeEventOnly(w: Writer, s: EventOnlySensorRecord): void {
  writeKeysAndEntity(w, s, checkRange(s.fruInventoryDeviceOwnerLun, 0, 3, 'FRU inventory device owner LUN'));
  w.u8(s.sensorType).u8(s.eventReadingType);
  writeSharing(w, s);
  w.u8(0);
  w.u8(s.oem);
  writeIdString(w, s);
}

/** Bytes 11-15 of FRU and generic device locators: device type and modifier, entity, OEM. */
function readLocatorDevice(r: Reader) {
  return {
    deviceType: r.u8('device type'),
    deviceTypeModifier: r.u8('device type modifier'),
    entityId: r.u8('entity ID'),
    entityInstance: r.u8('entity instance'),
    oem: r.u8('OEM'),
  };
}

function writeLocatorDevice(w: Writer, s: { deviceType: number; deviceTypeModifier: number; entityId: number; entityInstance: number; oem: number }): void {
  w.u8(s.deviceType).u8(s.deviceTypeModifier).u8(s.entityId).u8(s.entityInstance).u8(s.oem);
}

function readFruLocator(r: Reader, header: SdrHeaderFields): FruDeviceLocatorRecord {
  const deviceAccessAddress = r.u8('device access address');
  const fruDeviceId = r.u8('FRU device ID');
  const access = r.u8('logical/physical, access LUN, bus');
  const channel = r.u8('channel number');
  r.skip(1, 'reserved');
  const device = readLocatorDevice(r);
  return {
    kind: 'fruLocator',
    ...header,
    deviceAccessAddress,
    fruDeviceId,
    logicalFruDevice: flag(access, 7),
    accessLun: bits(access, 3, 2),
    privateBusId: bits(access, 0, 3),
    channelNumber: channel >> 4,
    ...device,
    ...readIdString(r),
  };
}

function writeFruLocator(w: Writer, s: FruDeviceLocatorRecord): void {
  w.u8(s.deviceAccessAddress).u8(s.fruDeviceId);
  w.u8(bit(s.logicalFruDevice, 7) | (checkRange(s.accessLun, 0, 3, 'access LUN') << 3) | checkRange(s.privateBusId, 0, 7, 'private bus ID'));
  w.u8(checkRange(s.channelNumber, 0, 15, 'channel number') << 4);
  w.u8(0);
  writeLocatorDevice(w, s);
  writeIdString(w, s);
}

function readGenericLocator(r: Reader, header: SdrHeaderFields): GenericDeviceLocatorRecord {
  const deviceAccessAddress = r.u8('device access address');
  const deviceSlaveAddress = r.u8('device slave address');
  const access = r.u8('channel, access LUN, bus');
  const span = r.u8('address span');
  r.skip(1, 'reserved');
  const device = readLocatorDevice(r);
  return {
    kind: 'genericLocator',
    ...header,
    deviceAccessAddress,
    deviceSlaveAddress,
    channelNumber: bits(access, 5, 3),
    accessLun: bits(access, 3, 2),
    privateBusId: bits(access, 0, 3),
    addressSpan: span & 0x07,
    ...device,
    ...readIdString(r),
  };
}

function writeGenericLocator(w: Writer, s: GenericDeviceLocatorRecord): void {
  w.u8(s.deviceAccessAddress).u8(s.deviceSlaveAddress);
  w.u8((checkRange(s.channelNumber, 0, 7, 'channel number') << 5) | (checkRange(s.accessLun, 0, 3, 'access LUN') << 3) | checkRange(s.privateBusId, 0, 7, 'private bus ID'));
  w.u8(checkRange(s.addressSpan, 0, 7, 'address span'));
  w.u8(0);
  writeLocatorDevice(w, s);
  writeIdString(w, s);
}

function readMcLocator(r: Reader, header: SdrHeaderFields): McDeviceLocatorRecord {
  const deviceSlaveAddress = r.u8('device slave address');
  const channel = r.u8('channel number');
  const power = r.u8('power state notification, global initialization');
  const deviceCapabilities = r.u8('device capabilities');
  r.skip(3, 'reserved');
  const entityId = r.u8('entity ID');
  const instance = r.u8('entity instance');
  const oem = r.u8('OEM');
  return {
    kind: 'mcLocator',
    ...header,
    deviceSlaveAddress,
    channelNumber: channel & 0x0f,
    powerStateNotification: bits(power, 5, 3),
    globalInitialization: bits(power, 0, 4),
    deviceCapabilities,
    entityId,
    entityInstance: instance & 0x7f,
    logicalEntity: flag(instance, 7),
    oem,
    ...readIdString(r),
  };
}

function writeMcLocator(w: Writer, s: McDeviceLocatorRecord): void {
  w.u8(s.deviceSlaveAddress);
  w.u8(checkRange(s.channelNumber, 0, 15, 'channel number'));
  w.u8((checkRange(s.powerStateNotification, 0, 7, 'power state notification') << 5) | checkRange(s.globalInitialization, 0, 15, 'global initialization'));
  w.u8(s.deviceCapabilities);
  w.fill(0, 3);
  w.u8(s.entityId).u8(bit(s.logicalEntity, 7) | checkRange(s.entityInstance, 0, 0x7f, 'entity instance')).u8(s.oem);
  writeIdString(w, s);
}

// ---- public API -----------------------------------------------------------------------------

/** Bytes in the SDR header (record ID, version, type, length). */
export const SDR_HEADER_LENGTH = 5;
const HEADER_LENGTH = SDR_HEADER_LENGTH;

export interface SdrHeader {
  recordId: number;
  sdrVersion: number;
  recordType: number;
  /** Bytes after the header (header byte 5). */
  length: number;
}

/** The 5-byte header at `offset` (a Get SDR response's data, or a record inside a dump). */
export function decodeSdrHeader(bytes: Uint8Array, offset = 0): SdrHeader {
  const r = new Reader(bytes, offset);
  return { recordId: r.u16('record ID'), sdrVersion: r.u8('SDR version'), recordType: r.u8('record type'), length: r.u8('SDR record length') };
}

/**
 * Splits back-to-back records (an `ipmitool sdr dump` file) into header+body byte strings
 * without interpreting them. A truncated last record throws ProtocolError.
 */
export function splitSdrs(bytes: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let offset = 0; offset < bytes.length; ) {
    const length = HEADER_LENGTH + decodeSdrHeader(bytes, offset).length;
    if (offset + length > bytes.length) throw new ProtocolError(`truncated SDR at offset ${offset}: need ${length} bytes, have ${bytes.length - offset}`, offset);
    out.push(bytes.slice(offset, offset + length));
    offset += length;
  }
  return out;
}

/** Encodes a record, header included; the header's length byte is computed. */
export function encodeSdr(record: SdrRecord): Uint8Array {
  const w = new Writer(64);
  w.u16(checkRange(record.recordId, 0, 0xffff, 'record ID')).u8(record.sdrVersion).u8(sdrRecordType(record)).u8(0);
  switch (record.kind) {
    case 'full':
      writeFull(w, record);
      break;
    case 'compact':
      writeCompact(w, record);
      break;
    case 'eventOnly':
      writeEventOnly(w, record);
      break;
    case 'genericLocator':
      writeGenericLocator(w, record);
      break;
    case 'fruLocator':
      writeFruLocator(w, record);
      break;
    case 'mcLocator':
      writeMcLocator(w, record);
      break;
    case 'raw':
      w.bytes(record.body);
      break;
  }
  const bodyLength = w.length - HEADER_LENGTH;
  if (bodyLength > 0xff) throw new RangeError(`SDR body of ${bodyLength} bytes does not fit the length byte`);
  const out = w.finish();
  out[4] = bodyLength;
  return out;
}

/** Total length (header + body) of the record starting at `offset`, from its header. */
function recordLength(bytes: Uint8Array, offset: number): number {
  const r = new Reader(bytes, offset);
  r.skip(4, 'SDR header');
  return HEADER_LENGTH + r.u8('SDR record length');
}

function decodeAt(bytes: Uint8Array, offset: number, end: number): SdrRecord {
  const r = new Reader(bytes, offset, end);
  const header: SdrHeaderFields = { recordId: r.u16('record ID'), sdrVersion: r.u8('SDR version') };
  const recordType = r.u8('record type');
  r.skip(1);
  // Trailing bytes after the ID string are tolerated: the length byte is authoritative.
  switch (recordType) {
    case SdrRecordType.FullSensor:
      return readFull(r, header);
    case SdrRecordType.CompactSensor:
      return readCompact(r, header);
    case SdrRecordType.EventOnlySensor:
      return readEventOnly(r, header);
    case SdrRecordType.GenericDeviceLocator:
      return readGenericLocator(r, header);
    case SdrRecordType.FruDeviceLocator:
      return readFruLocator(r, header);
    case SdrRecordType.McDeviceLocator:
      return readMcLocator(r, header);
    default:
      return { kind: 'raw', ...header, recordType, body: r.rest().slice() };
  }
}

/**
 * Decodes one record (header + body, as Get SDR returns it with offset 0 and length 0xFF).
 * Throws ProtocolError when the bytes are shorter than the header's length byte says or when
 * a record's fixed fields or ID string run past it, and on bytes beyond the record.
 */
export function decodeSdr(bytes: Uint8Array): SdrRecord {
  const length = recordLength(bytes, 0);
  if (bytes.length < length) throw new ProtocolError(`truncated SDR: header says ${length} bytes, have ${bytes.length}`, bytes.length);
  if (bytes.length > length) throw new ProtocolError(`${bytes.length - length} byte(s) after the SDR`, length);
  return decodeAt(bytes, 0, length);
}

/**
 * Decodes back-to-back records: an `ipmitool sdr dump` file, a QEMU `sdrfile`, or an OpenIPMI
 * `sdrcomp -r` output. A truncated last record throws ProtocolError.
 */
export function decodeSdrs(bytes: Uint8Array): SdrRecord[] {
  const out: SdrRecord[] = [];
  for (let offset = 0; offset < bytes.length; ) {
    const length = recordLength(bytes, offset);
    if (offset + length > bytes.length) throw new ProtocolError(`truncated SDR at offset ${offset}: need ${length} bytes, have ${bytes.length - offset}`, offset);
    out.push(decodeAt(bytes, offset, offset + length));
    offset += length;
  }
  return out;
}
