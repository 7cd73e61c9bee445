// YAML section "fru": the FRU inventory devices, generated in the IPMI FRU format.
//   fru:
//     - id: 0                     # 0 = the BMC's own FRU ("Builtin FRU Device")
//       name: Baseboard
//       size: 512                 # device bytes (default: the image, at least 256)
//       readOnly: false           # every Write FRU Data refused (80h)
//       writeProtect:             # or just some byte ranges
//         - { offset: 0, length: 8 }
//       chassis: { type: rack-mount, partNumber: X, serialNumber: Y, extra: [ ... ] }
//       board:
//         mfgDate: 2024-01-15T08:00:00Z
//         manufacturer: ACME
//         productName: Mainboard
//         serialNumber: B123
//         partNumber: MB-1
//         fruFileId: ""
//         extra: [ "rev A" ]
//       product: { manufacturer, name, partNumber, version, serialNumber, assetTag, fruFileId, extra }
//       multiRecords:
//         - { type: 0xC0, data: "57 01 00 01 02 03" }
// A field is a string (8-bit ASCII) or one of { bcdPlus: "12-3" }, { sixBitAscii: "ABC" },
// { binary: "01 02" }.
// Instead of the areas, a device may be given as bytes, served as they are (any content, also
// one that is not a valid FRU image):
//     - { id: 0, size: 1024, image: "01 00 00 01 00 00 00 fe ..." }

import { fromHex } from '../../protocol/bytes.js';
import { encodeFru, type FruBoardInfo, type FruChassisInfo, type FruData, type FruField, type FruProductInfo } from '../../ipmi/fru/format.js';
import { encodeBcdPlus, encodeSixBitAscii } from '../../ipmi/type-length.js';
import { chassisTypeNames } from '../../ipmi/tables/chassis-types.js';
import type { ConfigNode, ConfigSection } from './schema.js';
import { fruDevice, type FruDeviceConfig } from '../state/fru.js';

const slug = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');

function chassisType(n: ConfigNode): number {
  const v = (n.node as { value?: unknown } | null)?.value;
  if (typeof v === 'number') return n.int(0, 255);
  const s = slug(n.str());
  const i = chassisTypeNames.findIndex((name) => slug(name) === s || slug(name).replace(/-chassis$/, '') === s);
  if (i < 0) throw n.error(`expected a chassis type code 0-255 or a name like rack-mount, tower, blade; got "${n.str()}"`);
  return i;
}

function bytesOf(n: ConfigNode, maxBytes = 1365): Uint8Array {
  const s = n.str(maxBytes * 3 + 64);
  // Pairs of hex digits, optionally 0x-prefixed and separated by spaces, ':' or '-'.
  if (!/^\s*(?:(?:0x)?[0-9a-f]{2}[\s:-]*)*$/i.test(s)) throw n.error(`expected hexadecimal bytes like "01 02 0a", got "${s}"`);
  return fromHex(s);
}

function field(n: ConfigNode): FruField {
  if (!n.present) return '';
  const v = (n.node as { items?: unknown } | null)?.items;
  if (v === undefined) {
    const s = n.str(63);
    if (!/^[\x20-\x7e]*$/.test(s)) throw n.error('expected printable ASCII');
    return s;
  }
  const m = n.map(['bcdPlus', 'sixBitAscii', 'binary']);
  if (m.size !== 1) throw n.error('expected exactly one of bcdPlus, sixBitAscii, binary');
  const [kind, value] = [...m][0]!;
  if (kind === 'binary') {
    const data = bytesOf(value);
    if (data.length > 63) throw value.error(`a field holds at most 63 bytes, got ${data.length}`);
    return { type: 'binary', data };
  }
  const text = value.str();
  try {
    const packed = kind === 'bcdPlus' ? encodeBcdPlus(text) : encodeSixBitAscii(text);
    if (packed.length > 63) throw new RangeError(`${packed.length} bytes packed; a field holds at most 63`);
  } catch (e) {
    throw value.error(kind === 'bcdPlus' ? `expected digits, space, "-" and "." (${(e as Error).message})` : `expected characters from space to "_" (${(e as Error).message})`);
  }
  return { type: kind as 'bcdPlus' | 'sixBitAscii', text };
}

function extra(n: ConfigNode | undefined): FruField[] {
  return n ? n.list().map(field) : [];
}

function fields<K extends string>(n: ConfigNode, names: readonly K[]): Map<string, ConfigNode> {
  return n.map([...names, 'extra']);
}

const get = (f: Map<string, ConfigNode>, k: string): FruField => {
  const n = f.get(k);
  return n ? field(n) : '';
};

function chassis(n: ConfigNode): FruChassisInfo {
  const f = fields(n, ['type', 'partNumber', 'serialNumber']);
  const type = f.get('type');
  return { type: type ? chassisType(type) : 0x17, partNumber: get(f, 'partNumber'), serialNumber: get(f, 'serialNumber'), extra: extra(f.get('extra')) };
}

function board(n: ConfigNode): FruBoardInfo {
  const f = fields(n, ['mfgDate', 'manufacturer', 'productName', 'serialNumber', 'partNumber', 'fruFileId']);
  const out: FruBoardInfo = {
    manufacturer: get(f, 'manufacturer'),
    productName: get(f, 'productName'),
    serialNumber: get(f, 'serialNumber'),
    partNumber: get(f, 'partNumber'),
    fruFileId: get(f, 'fruFileId'),
    extra: extra(f.get('extra')),
  };
  const d = f.get('mfgDate');
  if (d) {
    const raw = (d.node as { value?: unknown } | null)?.value;
    const s = raw instanceof Date ? raw.toISOString() : d.str();
    const date = new Date(s);
    const min = Date.UTC(1996, 0, 1, 0, 1);
    const max = Date.UTC(1996, 0, 1) + 0xffffff * 60000;
    if (Number.isNaN(date.getTime()) || date.getTime() < min || date.getTime() > max) {
      throw d.error(`expected a date-time like 2024-01-15T08:00:00Z from 1996-01-01T00:01Z to 2027-11-24, got "${s}"`);
    }
    out.mfgDate = date;
  }
  return out;
}

function product(n: ConfigNode): FruProductInfo {
  const f = fields(n, ['manufacturer', 'name', 'partNumber', 'version', 'serialNumber', 'assetTag', 'fruFileId']);
  return {
    manufacturer: get(f, 'manufacturer'),
    name: get(f, 'name'),
    partNumber: get(f, 'partNumber'),
    version: get(f, 'version'),
    serialNumber: get(f, 'serialNumber'),
    assetTag: get(f, 'assetTag'),
    fruFileId: get(f, 'fruFileId'),
    extra: extra(f.get('extra')),
  };
}

function device(item: ConfigNode): FruDeviceConfig {
  const f = item.map(['id', 'name', 'size', 'readOnly', 'writeProtect', 'image', 'internalUse', 'chassis', 'board', 'product', 'multiRecords']);
  const idNode = f.get('id');
  if (!idNode) throw item.error('missing field "id" (0-254; 0 is the BMC\'s own FRU)');
  const imageNode = f.get('image');
  const image = imageNode ? rawImage(imageNode, f) : generatedImage(item, f);
  const sizeNode = f.get('size');
  const size = sizeNode ? sizeNode.int(8, MAX_FRU) : undefined;
  if (size !== undefined && size < image.length) throw sizeNode!.error(`the image needs ${image.length} bytes, more than size ${size}`);
  const dev = fruDevice(idNode.int(0, 254), image, size);
  const name = f.get('name');
  if (name) dev.name = name.str(64);
  const ro = f.get('readOnly');
  if (ro) dev.readOnly = ro.bool();
  const wp = f.get('writeProtect');
  if (wp) {
    dev.writeProtect = wp.list().map((r) => {
      const m = r.map(['offset', 'length']);
      const o = m.get('offset');
      const l = m.get('length');
      if (!o || !l) throw r.error('a write-protected range needs "offset" and "length"');
      return { offset: o.int(0, dev.size - 1), length: l.int(1, dev.size) };
    });
  }
  return dev;
}

/** The most bytes a FRU device has (Get FRU Inventory Area Info's 16-bit size). */
const MAX_FRU = 0xffff;

function rawImage(n: ConfigNode, f: Map<string, ConfigNode>): Uint8Array {
  for (const k of ['internalUse', 'chassis', 'board', 'product', 'multiRecords']) if (f.has(k)) throw f.get(k)!.error('give either image (the device as bytes) or the areas, not both');
  const bytes = bytesOf(n, MAX_FRU);
  if (bytes.length === 0) throw n.error('empty image');
  return bytes;
}

function generatedImage(item: ConfigNode, f: Map<string, ConfigNode>): Uint8Array {
  const data: FruData = {};
  const iu = f.get('internalUse');
  if (iu) data.internalUse = bytesOf(iu);
  const c = f.get('chassis');
  if (c) data.chassis = chassis(c);
  const b = f.get('board');
  if (b) data.board = board(b);
  const p = f.get('product');
  if (p) data.product = product(p);
  const mr = f.get('multiRecords');
  if (mr) {
    data.multiRecords = mr.list().map((r) => {
      const m = r.map(['type', 'data']);
      const t = m.get('type');
      const d = m.get('data');
      if (!t || !d) throw r.error('a multi-record needs "type" (0-255) and "data" (hex)');
      const bytes = bytesOf(d);
      if (bytes.length > 255) throw d.error(`at most 255 bytes, got ${bytes.length}`);
      return { type: t.int(0, 255), data: bytes };
    });
  }
  try {
    return encodeFru(data);
  } catch (e) {
    throw item.error(`cannot build the FRU image: ${(e as Error).message}`);
  }
}

export const fruSection: ConfigSection = {
  name: 'fru',
  parse: (node, config) => {
    const seen = new Set<number>();
    config.fru = node.list().map((item) => {
      const d = device(item);
      if (seen.has(d.id)) throw item.error(`FRU device ${d.id} is defined twice`);
      seen.add(d.id);
      return d;
    });
  },
};
