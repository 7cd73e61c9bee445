// YAML section "identity": what Get Device ID, Get System GUID and Get System Info report.

import { guidFromString, type BmcConfig } from './model.js';
import type { ConfigNode, ConfigSection } from './schema.js';

function parseGuid(n: ConfigNode): Uint8Array {
  const s = n.str();
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s)) throw n.error(`expected a GUID like 01234567-89ab-cdef-0123-456789abcdef, got "${s}"`);
  return guidFromString(s);
}

export const identitySection: ConfigSection = { name: 'identity', parse: parseIdentity };

function parseIdentity(n: ConfigNode, c: BmcConfig): void {
  const f = n.map([
    'deviceId',
    'deviceRevision',
    'firmware',
    'ipmiVersion',
    'manufacturerId',
    'productId',
    'auxFirmwareRevision',
    'systemGuid',
    'deviceGuid',
    'providesDeviceSdrs',
    'additionalDeviceSupport',
    'firmwareVersion',
    'systemName',
    'osName',
  ]);
  const id = c.identity;
  for (const [k, v] of f) {
    switch (k) {
      case 'deviceId':
        id.deviceId = v.int(0, 255);
        break;
      case 'deviceRevision':
        id.deviceRevision = v.int(0, 15);
        break;
      case 'firmware': {
        const s = v.str();
        const m = /^(\d{1,3})\.(\d{1,2})$/.exec(s);
        if (!m || Number(m[1]) > 127) throw v.error(`expected MAJOR.MINOR like "1.23" (major 0-127, minor 0-99), got "${s}"`);
        id.firmwareMajor = Number(m[1]);
        id.firmwareMinor = parseInt(m[2]!.padStart(2, '0'), 16); // BCD
        if (!id.firmwareVersion || id.firmwareVersion === '1.00') id.firmwareVersion = s;
        break;
      }
      case 'ipmiVersion': {
        const s = v.oneOf(['1.5', '2.0'] as const);
        id.ipmiVersion = s === '1.5' ? 0x51 : 0x02;
        break;
      }
      case 'manufacturerId':
        id.manufacturerId = v.int(0, 0xfffff);
        break;
      case 'productId':
        id.productId = v.int(0, 0xffff);
        break;
      case 'auxFirmwareRevision': {
        const items = v.list();
        if (items.length !== 4) throw v.error(`expected 4 bytes, got ${items.length}`);
        id.auxFirmwareRevision = items.map((i) => i.int(0, 255));
        break;
      }
      case 'systemGuid':
        id.systemGuid = parseGuid(v);
        break;
      case 'deviceGuid':
        id.deviceGuid = parseGuid(v);
        break;
      case 'providesDeviceSdrs':
        id.providesDeviceSdrs = v.bool();
        break;
      case 'additionalDeviceSupport': {
        const names = ['sensor', 'sdr', 'sel', 'fru', 'event-receiver', 'event-generator', 'bridge', 'chassis'] as const;
        let mask = 0;
        for (const item of v.list()) mask |= 1 << names.indexOf(item.oneOf(names));
        id.additionalDeviceSupport = mask;
        break;
      }
      case 'firmwareVersion':
        id.firmwareVersion = v.str(64);
        break;
      case 'systemName':
        id.systemName = v.str(64);
        break;
      case 'osName':
        id.osName = v.str(64);
        break;
    }
  }
}
