// The HTTPS certificate: the user's (--tls-cert/--tls-key), or a self-signed one made on the
// first start and kept in the state directory (redfish-cert.pem, redfish-key.pem 0600), so
// clients that pin it keep working across restarts.
//
// Node's crypto makes keys but not X.509 certificates; the openssl command (Debian package
// openssl, the library Node itself links) does, in one call, with nothing added to
// node_modules. It runs once per state directory; its files are written under temporary names
// and renamed into place, so an interrupted first start leaves no half-written pair.

import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { createSecureContext } from 'node:tls';
import { isIP } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { TlsMaterial } from './server.js';

export const CERT_FILE = 'redfish-cert.pem';
export const KEY_FILE = 'redfish-key.pem';
const VALID_DAYS = 3650;

export class TlsSetupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** Reads a given pair and checks that the key belongs to the certificate. */
export function loadTls(certPath: string, keyPath: string): TlsMaterial {
  const read = (p: string, what: string): Buffer => {
    try {
      return readFileSync(p);
    } catch (e) {
      throw new TlsSetupError(`cannot read the TLS ${what} ${p}: ${(e as Error).message}`);
    }
  };
  const tls = { cert: read(certPath, 'certificate'), key: read(keyPath, 'key') };
  try {
    createSecureContext(tls);
  } catch (e) {
    throw new TlsSetupError(`${certPath} and ${keyPath} are not a usable certificate and key: ${(e as Error).message}`);
  }
  return tls;
}

/** The state directory's pair, made with openssl when missing. `host` goes into the subjectAltName. */
export async function stateDirTls(dir: string, host: string, openssl = 'openssl'): Promise<{ tls: TlsMaterial; created: boolean }> {
  const cert = join(dir, CERT_FILE);
  const key = join(dir, KEY_FILE);
  if (existsSync(cert) && existsSync(key)) return { tls: loadTls(cert, key), created: false };
  const names = new Set(['DNS:localhost', 'IP:127.0.0.1', 'IP:::1']);
  if (host !== '' && host !== '0.0.0.0' && host !== '::') names.add(isIP(host) ? `IP:${host}` : `DNS:${host}`);
  const tmp = mkdtempSync(join(dir, 'redfish-tls-'));
  try {
    const tmpCert = join(tmp, CERT_FILE);
    const tmpKey = join(tmp, KEY_FILE);
    try {
      await promisify(execFile)(openssl, [
        'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-sha256', '-nodes',
        '-days', String(VALID_DAYS), '-subj', '/O=ipmi-sim/CN=ipmi-sim Redfish',
        '-addext', `subjectAltName=${[...names].join(',')}`,
        '-addext', 'keyUsage=critical,digitalSignature', '-addext', 'extendedKeyUsage=serverAuth',
        '-keyout', tmpKey, '-out', tmpCert,
      ], { timeout: 30_000 });
    } catch (e) {
      const err = e as NodeJS.ErrnoException & { stderr?: string };
      if (err.code === 'ENOENT') throw new TlsSetupError('cannot make the Redfish TLS certificate: the openssl command is not installed (Debian package openssl); install it or give --tls-cert and --tls-key');
      throw new TlsSetupError(`openssl could not make the Redfish TLS certificate: ${(err.stderr ?? err.message).trim()}`);
    }
    chmodSync(tmpKey, 0o600);
    const tls = loadTls(tmpCert, tmpKey);
    // Key first: a pair is used only when both files exist.
    renameSync(tmpKey, key);
    renameSync(tmpCert, cert);
    return { tls, created: true };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
