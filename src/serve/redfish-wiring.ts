// `serve --redfish`: where Redfish listens and with which certificate, then the HTTPS server
// over an instance's BMC. The Redfish modules load only when asked for (serve without
// --redfish never imports them).

import type { BmcCore } from '../bmc/core.js';
import type { Logger } from '../bmc/log.js';
import { UsageError } from '../client/errors.js';
import { parseHostPort, type ListenAddress } from '../transport/lan-server.js';

export const DEFAULT_REDFISH = '127.0.0.1:8443';

export interface RedfishPlan {
  addr: ListenAddress;
  /** --tls-cert/--tls-key; undefined = the state directory's self-signed pair. */
  files: { cert: string; key: string } | undefined;
}

/** Checks the Redfish options; undefined when Redfish is off. */
export function redfishPlan(o: { redfish?: string | boolean; tlsCert?: string; tlsKey?: string }): RedfishPlan | undefined {
  if ((o.tlsCert === undefined) !== (o.tlsKey === undefined)) throw new UsageError('--tls-cert and --tls-key go together');
  if (o.redfish === undefined || o.redfish === false) {
    if (o.tlsCert !== undefined) throw new UsageError('--tls-cert and --tls-key need --redfish');
    return undefined;
  }
  let addr: ListenAddress;
  try {
    addr = parseHostPort(o.redfish === true ? DEFAULT_REDFISH : o.redfish, 8443);
  } catch (e) {
    throw new UsageError(`--redfish: ${(e as Error).message}`);
  }
  if (!Number.isInteger(addr.port) || addr.port < 0 || addr.port > 65535) throw new UsageError(`--redfish: port ${addr.port} is out of range`);
  return { addr, files: o.tlsCert !== undefined ? { cert: o.tlsCert, key: o.tlsKey! } : undefined };
}

export interface RunningRedfish {
  url: string;
  close(): Promise<void>;
}

/** Starts Redfish for one BMC instance on `addr` (port 0 = ephemeral). */
export async function startRedfish(bmc: BmcCore, plan: RedfishPlan, addr: ListenAddress, o: { stateDir: string; lanPort: number; log: Logger }): Promise<RunningRedfish> {
  const [{ RedfishServer }, { RedfishService }, tlsMod] = await Promise.all([import('../redfish/server.js'), import('../redfish/service.js'), import('../redfish/tls.js')]);
  let tls;
  try {
    if (plan.files) tls = tlsMod.loadTls(plan.files.cert, plan.files.key);
    else {
      const made = await tlsMod.stateDirTls(o.stateDir, addr.host);
      tls = made.tls;
      if (made.created) o.log.info('Redfish certificate created (self-signed)', { cert: `${o.stateDir}/${tlsMod.CERT_FILE}` });
    }
  } catch (e) {
    if (e instanceof tlsMod.TlsSetupError) throw new UsageError(e.message);
    throw e;
  }
  const service = new RedfishService(bmc, { lanPort: o.lanPort });
  const server = new RedfishServer(service, tls, o.log);
  let bound;
  try {
    bound = await server.listen(addr);
  } catch (e) {
    service.close();
    throw new UsageError(`cannot listen for Redfish on ${addr.host}:${addr.port}: ${(e as Error).message}`);
  }
  const host = bound.host.includes(':') ? `[${bound.host}]` : bound.host;
  return { url: `https://${host}:${bound.port}`, close: () => server.close() };
}
