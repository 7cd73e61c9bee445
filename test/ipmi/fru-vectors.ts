// FRU test images. atcaAmcFru comes from outside this project: the AdvancedMC module FRU
// (device 9) in OpenIPMI's lanserv/atca.emu sample, without its 0xFF fill: board and product
// areas with 6-bit ASCII fields, language code 25, and two PICMG OEM multi-records. FreeIPMI's
// ipmi-fru accepts it (test/fixtures/freeipmi/atca-ipmi-fru.txt).

import { hex } from '../helpers/bytes.js';
import type { FruData } from '../../src/ipmi/fru/format.js';

export const atcaAmcFru = hex`
  01 00 00 01 09 17 00 de 01 08 19 a4 76 4e c3 43
  45 53 cf 41 64 76 61 6e 63 65 64 4d 43 20 39 34
  37 38 89 23 5a 49 13 04 45 d2 04 00 86 19 75 61
  21 00 00 d2 66 72 75 2d 69 6e 66 6f 2d 30 2d 30
  2d 34 2e 69 6e 66 c1 11 01 0e 19 c3 43 45 53 cf
  41 64 76 61 6e 63 65 64 4d 43 20 39 34 37 38 86
  10 04 41 10 04 00 e4 42 65 74 61 20 70 72 6f 74
  6f 74 79 70 65 73 20 2f 20 43 45 53 20 49 50 4d
  49 20 72 65 76 20 30 2e 31 2e 30 89 23 5a 49 13
  04 45 d2 04 00 86 90 03 39 14 00 00 d2 66 72 75
  2d 69 6e 66 6f 2d 30 2d 30 2d 34 2e 69 6e 66 c1
  00 00 00 00 00 00 00 b8 c0 02 06 55 e3 5a 31 00
  16 00 0a c0 82 22 f1 ab 5a 31 00 19 00 00 80 02
  a4 98 f3 28 a9 f5 00 2f 10 00 fd 01 2f 10 00 fd
  00 2f 10 01 fd 01 2f 10 01 fd
`;

/** A FRU image with every area, custom fields, a 6-bit field and a single-character field. */
export const sampleFru: FruData = {
  chassis: { type: 0x17, partNumber: 'CH-PN-1', serialNumber: 'CHSN0001', extra: ['chassis extra'] },
  board: {
    mfgDate: new Date(Date.UTC(2024, 1, 18, 2, 35)),
    manufacturer: 'Acme Corp',
    productName: 'SimBoard',
    serialNumber: 'BSN42',
    partNumber: 'BPN-7',
    fruFileId: 'fru.bin',
    extra: ['b1', { type: 'sixBitAscii', text: 'IPMI' }],
  },
  product: {
    manufacturer: 'Acme Corp',
    name: 'ipmi-sim',
    partNumber: 'PPN-1',
    version: '1.0',
    serialNumber: 'PSN-9',
    assetTag: 'ASSET7',
    fruFileId: '',
    extra: ['x'],
  },
};
