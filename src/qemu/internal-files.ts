// For QEMU's internal BMC (ipmi-bmc-sim): the sdrfile and frudatafile images and identity
// properties generated from an ipmi-sim YAML config, so the guest's in-band view matches
// what `ipmi-sim serve` shows over LAN. QEMU reads the SDR file as back-to-back records
// (renumbering them) and splits the FRU file into `fruareasize` areas, FRU IDs 0, 1, 2...

import { writeFileSync } from 'node:fs';
import { Bmc } from '../bmc/bmc.js';
import type { BmcConfig } from '../bmc/config/model.js';
import { ManualClock } from '../bmc/clock.js';
import { SeededRng } from '../bmc/rng.js';
import { silentLogger } from '../bmc/log.js';
import type { IpmiArgsOptions } from './args.js';

export interface InternalFiles {
  sdr: Uint8Array;
  fru: Uint8Array;
  fruAreaSize: number;
  properties: Partial<IpmiArgsOptions>;
}

/** RFC 4122 text of a GUID stored in IPMI wire order (the reverse of the text's bytes). */
function guidText(wire: Uint8Array): string {
  const h = Buffer.from(wire).reverse().toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export function buildInternalFiles(config: BmcConfig): InternalFiles {
  // The BMC core generates SDRs and FRU images from the config without any I/O.
  const bmc = new Bmc(config, { clock: new ManualClock(), rng: new SeededRng(), log: silentLogger });
  const records = bmc.sdr.records;
  const sdr = new Uint8Array(records.reduce((n, r) => n + r.length, 0));
  let o = 0;
  for (const r of records) {
    sdr.set(r, o);
    o += r.length;
  }
  const ids = config.fru.map((d) => d.id).sort((a, b) => a - b);
  const images = ids.map((id) => bmc.fru.device(id) ?? new Uint8Array(0));
  const largest = Math.max(0, ...images.map((i) => i.length));
  const fruAreaSize = Math.max(256, Math.ceil(largest / 256) * 256);
  // QEMU numbers areas by position, so FRU IDs must be dense from 0 to be reachable.
  const fru = new Uint8Array(fruAreaSize * (ids.length ? ids[ids.length - 1]! + 1 : 0));
  ids.forEach((id, i) => fru.set(images[i]!, id * fruAreaSize));
  const id = config.identity;
  return {
    sdr,
    fru,
    fruAreaSize,
    properties: {
      mfgId: id.manufacturerId,
      productId: id.productId,
      deviceRev: id.deviceRevision,
      fwrev1: id.firmwareMajor,
      fwrev2: id.firmwareMinor,
      guid: guidText(id.deviceGuid),
    },
  };
}

/** Writes the images (when paths are given) and returns the ipmi-bmc-sim properties. */
export function qemuInternalFiles(config: BmcConfig, out: { sdrFile?: string | undefined; fruFile?: string | undefined }): { properties: Partial<IpmiArgsOptions> } {
  const files = buildInternalFiles(config);
  const properties = { ...files.properties };
  if (out.sdrFile) {
    writeFileSync(out.sdrFile, files.sdr);
    properties.sdrfile = out.sdrFile;
  }
  if (out.fruFile && files.fru.length > 0) {
    writeFileSync(out.fruFile, files.fru);
    properties.frudatafile = out.fruFile;
    properties.fruareasize = files.fruAreaSize;
  }
  return { properties };
}
