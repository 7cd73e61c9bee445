// Opens a client session for a command and always closes it, including on errors.

import { LanClient } from '../client/lan-client.js';
import { IpmiSessionError } from '../client/errors.js';
import type { ConnectionSettings } from './connection.js';

export async function openClient(s: ConnectionSettings): Promise<LanClient> {
  try {
    return await LanClient.connect(s);
  } catch (e) {
    // No -I: behave like a modern ipmitool user would want, v2.0 first, v1.5 if that is all there is.
    if (s.autoInterface && s.interface === 'lanplus' && e instanceof IpmiSessionError && /does not support IPMI v2\.0/.test(e.message)) {
      return LanClient.connect({ ...s, interface: 'lan', timeoutSec: s.timeoutSec });
    }
    throw e;
  }
}

export async function withClient<T>(s: ConnectionSettings, fn: (c: LanClient) => Promise<T>): Promise<T> {
  const c = await openClient(s);
  try {
    return await fn(c);
  } finally {
    await c.close();
  }
}
