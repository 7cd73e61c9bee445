// FRU inventory devices (IPMI v2.0 §34; Platform Management FRU Information Storage
// Definition v1.0). Each device is a byte array: the image generated from the config, padded to
// the device size. Write FRU Data changes it in place and the whole device is saved before the
// write is acknowledged. FRU device 0 is the BMC's own ("Builtin FRU Device" in ipmitool).

import type { BmcCore } from '../core.js';
import { encodeFru } from '../../ipmi/fru/format.js';
import { hexOf } from '../store.js';
import { fingerprint, SavedReader } from './persist.js';

export interface FruDeviceConfig {
  id: number;
  /** Shown in logs; ipmitool names device 0 "Builtin FRU Device" itself. */
  name?: string;
  /** Image content (common header and areas), placed at offset 0. */
  image: Uint8Array;
  /** Device size in bytes (≥ image length); the rest reads as zero until written. */
  size: number;
  /** Every write is refused with 80h. */
  readOnly?: boolean;
  /** Byte ranges a write may not touch (80h "write-protected offset"). */
  writeProtect?: { offset: number; length: number }[];
}

/** A device for an image: `size` bytes (default: the image rounded up, at least 256). */
export function fruDevice(id: number, image: Uint8Array, size?: number): FruDeviceConfig {
  return { id, image, size: size ?? Math.max(256, Math.ceil(image.length / 8) * 8) };
}

/** The embedded default's FRU 0: a 1U rack server with chassis, board and product areas. */
export function defaultFru(): FruDeviceConfig[] {
  const image = encodeFru({
    chassis: { type: 0x17, partNumber: 'SIM-CHS-1U', serialNumber: 'SIMCHS0001', extra: [] },
    board: {
      mfgDate: new Date(Date.UTC(2024, 0, 15, 8, 0)),
      manufacturer: 'ipmi-sim',
      productName: 'SIM-1U Mainboard',
      serialNumber: 'SIMBRD0001',
      partNumber: 'SIM-MB-100',
      fruFileId: '',
      extra: [],
    },
    product: {
      manufacturer: 'ipmi-sim',
      name: 'Simulated 1U Server',
      partNumber: 'SIM-1U',
      version: '1.0',
      serialNumber: 'SIM0000001',
      assetTag: '',
      fruFileId: '',
      extra: [],
    },
  });
  return [{ ...fruDevice(0, image), name: 'Builtin FRU' }];
}

/** Largest Read FRU Data count answered; more is 0xCA (consoles then ask for less). */
export const FRU_MAX_READ = 64;

const KEY = 'fru';

interface Device {
  config: FruDeviceConfig;
  data: Uint8Array;
  /** Fingerprint of the config image this device started from. */
  base: string;
}

export type FruResult<T> = T | { cc: number };

export class FruStore {
  private readonly bmc: BmcCore;
  private readonly devices = new Map<number, Device>();

  constructor(bmc: BmcCore) {
    this.bmc = bmc;
    for (const c of bmc.config.fru) {
      const data = new Uint8Array(c.size);
      data.set(c.image.subarray(0, c.size));
      this.devices.set(c.id, { config: c, data, base: fingerprint({ image: c.image, size: c.size }) });
    }
    this.load();
  }

  ids(): number[] {
    return [...this.devices.keys()].sort((a, b) => a - b);
  }

  /** The current contents of a device (a copy), or undefined if there is no such device. */
  device(id: number): Uint8Array | undefined {
    return this.devices.get(id)?.data.slice();
  }

  size(id: number): number | undefined {
    return this.devices.get(id)?.data.length;
  }

  read(id: number, offset: number, count: number): FruResult<Uint8Array> {
    const d = this.devices.get(id);
    if (!d) return { cc: 0xcb };
    if (offset >= d.data.length) return { cc: 0xc9 };
    if (count > FRU_MAX_READ) return { cc: 0xca };
    return d.data.slice(offset, Math.min(d.data.length, offset + count));
  }

  /** Writes bytes at an offset; returns the count written (saved before it returns). */
  write(id: number, offset: number, bytes: Uint8Array): FruResult<number> {
    const d = this.devices.get(id);
    if (!d) return { cc: 0xcb };
    if (offset >= d.data.length) return { cc: 0xc9 };
    // Writing past the end of the device is a request the BMC cannot honour in full.
    if (offset + bytes.length > d.data.length) return { cc: 0xc8 };
    const end = offset + bytes.length;
    if (d.config.readOnly || d.config.writeProtect?.some((p) => offset < p.offset + p.length && end > p.offset)) return { cc: 0x80 };
    const before = d.data.slice(offset, end);
    d.data.set(bytes, offset);
    try {
      this.save();
    } catch (e) {
      d.data.set(before, offset);
      throw e;
    }
    return bytes.length;
  }

  private save(): void {
    const devices: Record<string, unknown> = {};
    for (const [id, d] of this.devices) devices[String(id)] = { base: d.base, data: hexOf(d.data) };
    this.bmc.store.save(KEY, { version: 1, devices });
  }

  private load(): void {
    const saved = this.bmc.store.load(KEY);
    if (saved === undefined) return;
    const rd = new SavedReader(KEY);
    const o = rd.object(saved, 'fru');
    rd.int(o.version, 'version', 1, 1);
    const devices = rd.object(o.devices, 'devices');
    for (const [key, value] of Object.entries(devices)) {
      const path = `devices.${key}`;
      const v = rd.object(value, path);
      const id = Number(key);
      const base = rd.str(v.base, `${path}.base`);
      const data = rd.hex(v.data, `${path}.data`);
      const d = this.devices.get(id);
      if (!d) {
        this.bmc.log.warn('saved FRU device is not in the config; its writes are dropped', { fru: id });
        continue;
      }
      if (base !== d.base || data.length !== d.data.length) {
        this.bmc.log.warn('FRU in the config changed since the state was saved; using the config', { fru: id });
        continue;
      }
      d.data = data;
    }
  }
}
