// IPMI cryptography: v1.5 AuthCodes (none/MD2/MD5/straight password), RMCP+ cipher suites,
// RAKP HMACs, SIK/K1/K2 derivation (IPMI v2.0 §13.31-13.32), integrity (§13.28.4) and
// AES-CBC-128 confidentiality (§13.29). RC4 suites are not offered: Node's OpenSSL 3 lacks RC4.

import { concat } from './bytes.js';
import { createCipheriv, createDecipheriv, createHash, createHmac, timingSafeEqual } from 'node:crypto';

export const AuthType = { None: 0, Md2: 1, Md5: 2, Password: 4, Oem: 5, RmcpPlus: 6 } as const;
export const authTypeNames: Record<number, string> = { 0: 'NONE', 1: 'MD2', 2: 'MD5', 4: 'PASSWORD', 5: 'OEM' };

export const AuthAlg = { None: 0, HmacSha1: 1, HmacMd5: 2, HmacSha256: 3 } as const;
export const IntegrityAlg = { None: 0, HmacSha1_96: 1, HmacMd5_128: 2, Md5_128: 3, HmacSha256_128: 4 } as const;
export const ConfAlg = { None: 0, AesCbc128: 1, Xrc4_128: 2, Xrc4_40: 3 } as const;

export interface CipherSuite {
  id: number;
  auth: number;
  integrity: number;
  confidentiality: number;
}

/** Every suite this implementation can run (Table 22-20 minus the xRC4 ones). */
export const CIPHER_SUITES: readonly CipherSuite[] = [
  { id: 0, auth: 0, integrity: 0, confidentiality: 0 },
  { id: 1, auth: 1, integrity: 0, confidentiality: 0 },
  { id: 2, auth: 1, integrity: 1, confidentiality: 0 },
  { id: 3, auth: 1, integrity: 1, confidentiality: 1 },
  { id: 6, auth: 2, integrity: 0, confidentiality: 0 },
  { id: 7, auth: 2, integrity: 2, confidentiality: 0 },
  { id: 8, auth: 2, integrity: 2, confidentiality: 1 },
  { id: 11, auth: 2, integrity: 3, confidentiality: 0 },
  { id: 12, auth: 2, integrity: 3, confidentiality: 1 },
  { id: 15, auth: 3, integrity: 0, confidentiality: 0 },
  { id: 16, auth: 3, integrity: 4, confidentiality: 0 },
  { id: 17, auth: 3, integrity: 4, confidentiality: 1 },
];

export function cipherSuiteById(id: number): CipherSuite | undefined {
  return CIPHER_SUITES.find((s) => s.id === id);
}

export function findCipherSuite(auth: number, integrity: number, confidentiality: number): CipherSuite | undefined {
  return CIPHER_SUITES.find((s) => s.auth === auth && s.integrity === integrity && s.confidentiality === confidentiality);
}

export const authAlgNames: Record<number, string> = { 0: 'none', 1: 'hmac_sha1', 2: 'hmac_md5', 3: 'hmac_sha256' };
export const integrityAlgNames: Record<number, string> = { 0: 'none', 1: 'hmac_sha1_96', 2: 'hmac_md5_128', 3: 'md5_128', 4: 'sha256_128' };
export const confAlgNames: Record<number, string> = { 0: 'none', 1: 'aes_cbc_128', 2: 'xrc4_128', 3: 'xrc4_40' };

// ---- v1.5 AuthCodes (IPMI v1.5 §18.15) -----------------------------------------------------

export function padPassword(password: Uint8Array, n: 16 | 20): Uint8Array {
  const out = new Uint8Array(n);
  out.set(password.subarray(0, n));
  return out;
}

/**
 * AuthCode of a v1.5 session packet: H(password16 + sessionId + message + sequence + password16)
 * for MD2/MD5, the padded password itself for straight password. Returns undefined for NONE.
 */
export function authCode15(
  authType: number,
  password16: Uint8Array,
  sessionId: number,
  message: Uint8Array,
  sequence: number,
): Uint8Array | undefined {
  switch (authType) {
    case AuthType.None:
      return undefined;
    case AuthType.Password:
      return password16;
    case AuthType.Md5:
    case AuthType.Md2: {
      const ids = new Uint8Array(8);
      const dv = new DataView(ids.buffer);
      dv.setUint32(0, sessionId >>> 0, true);
      dv.setUint32(4, sequence >>> 0, true);
      const parts = [password16, ids.subarray(0, 4), message, ids.subarray(4, 8), password16];
      if (authType === AuthType.Md5) {
        const h = createHash('md5');
        for (const p of parts) h.update(p);
        return new Uint8Array(h.digest());
      }
      return md2(concat(parts));
    }
    default:
      throw new Error(`unsupported v1.5 auth type ${authType}`);
  }
}


/** Constant-time comparison (different lengths compare unequal without leaking content). */
export function safeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  return timingSafeEqual(a, b);
}

// ---- MD2 (RFC 1319) --------------------------------------------------------------------------
// Node's OpenSSL has no MD2. The substitution table is the RFC's permutation built from the
// digits of pi; we derive it (once, lazily) instead of embedding 256 magic numbers, and the
// RFC test vectors in the test suite pin it down.

let md2Table: Uint8Array | undefined;

function piDigits(n: number): string {
  // Machin's formula in fixed point: pi = 16 atan(1/5) - 4 atan(1/239)
  const scale = 10n ** BigInt(n + 10);
  const atanInv = (x: bigint): bigint => {
    let sum = 0n;
    let term = scale / x;
    let k = 1n;
    let sign = 1n;
    const x2 = x * x;
    while (term !== 0n) {
      sum += (sign * term) / k;
      term /= x2;
      k += 2n;
      sign = -sign;
    }
    return sum;
  };
  return (16n * atanInv(5n) - 4n * atanInv(239n)).toString().slice(0, n);
}

function md2Substitution(): Uint8Array {
  if (md2Table) return md2Table;
  const digits = piDigits(1200);
  let di = 0;
  const next = (): number => Number(digits[di++]);
  // Uniform choice in [0, n) from 1-3 decimal digits of pi, rejecting the biased tail.
  const rand = (n: number): number => {
    for (;;) {
      let x = next();
      let y = 10;
      if (n > 10) {
        x = x * 10 + next();
        y = 100;
      }
      if (n > 100) {
        x = x * 10 + next();
        y = 1000;
      }
      if (x < n * Math.floor(y / n)) return x % n;
    }
  };
  const s = new Uint8Array(256);
  for (let i = 0; i < 256; i++) s[i] = i;
  for (let i = 2; i <= 256; i++) {
    const j = rand(i);
    const t = s[j]!;
    s[j] = s[i - 1]!;
    s[i - 1] = t;
  }
  md2Table = s;
  return s;
}

export function md2(input: Uint8Array): Uint8Array {
  const S = md2Substitution();
  const padLen = 16 - (input.length % 16);
  const msg = new Uint8Array(input.length + padLen + 16);
  msg.set(input);
  msg.fill(padLen, input.length, input.length + padLen);
  // Append the checksum block.
  const n = input.length + padLen;
  const checksum = msg.subarray(n, n + 16);
  let l = 0;
  for (let i = 0; i < n; i += 16) {
    for (let j = 0; j < 16; j++) {
      checksum[j] = checksum[j]! ^ S[msg[i + j]! ^ l]!;
      l = checksum[j]!;
    }
  }
  const x = new Uint8Array(48);
  for (let i = 0; i < msg.length; i += 16) {
    for (let j = 0; j < 16; j++) {
      x[16 + j] = msg[i + j]!;
      x[32 + j] = x[16 + j]! ^ x[j]!;
    }
    let t = 0;
    for (let j = 0; j < 18; j++) {
      for (let k = 0; k < 48; k++) {
        x[k] = x[k]! ^ S[t]!;
        t = x[k]!;
      }
      t = (t + j) & 0xff;
    }
  }
  return x.slice(0, 16);
}

// ---- RMCP+ key exchange (IPMI v2.0 §13.31-13.32) ---------------------------------------------

const authHash: Record<number, 'sha1' | 'md5' | 'sha256'> = { 1: 'sha1', 2: 'md5', 3: 'sha256' };

export function authHmac(authAlg: number, key: Uint8Array, ...parts: Uint8Array[]): Uint8Array {
  const hash = authHash[authAlg];
  if (!hash) throw new Error(`no HMAC for authentication algorithm ${authAlg}`);
  const h = createHmac(hash, key);
  for (const p of parts) h.update(p);
  return new Uint8Array(h.digest());
}

/** Length of the RAKP4 integrity check value for an authentication algorithm. */
export function rakp4IcvLength(authAlg: number): number {
  return authAlg === AuthAlg.HmacSha1 ? 12 : authAlg === AuthAlg.None ? 0 : 16;
}

export function authCodeLength(authAlg: number): number {
  return authAlg === AuthAlg.HmacSha1 ? 20 : authAlg === AuthAlg.HmacMd5 ? 16 : authAlg === AuthAlg.HmacSha256 ? 32 : 0;
}

export interface RakpInputs {
  /** Console (remote) session ID, SIDm. */
  consoleSessionId: number;
  /** Managed system (BMC) session ID, SIDc. */
  bmcSessionId: number;
  consoleRandom: Uint8Array; // Rm
  bmcRandom: Uint8Array; // Rc
  bmcGuid: Uint8Array; // GUIDc, 16 bytes as sent
  /** The whole RAKP1 role byte, including the name-only lookup bit. */
  role: number;
  username: Uint8Array;
}

function u32le(v: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, v >>> 0, true);
  return b;
}

function roleAndName(i: RakpInputs): Uint8Array {
  const out = new Uint8Array(2 + i.username.length);
  out[0] = i.role;
  out[1] = i.username.length;
  out.set(i.username, 2);
  return out;
}

/** RAKP2 key-exchange AuthCode: HMAC_Kuid(SIDm, SIDc, Rm, Rc, GUIDc, ROLEm, ULENGTHm, UNAMEm). */
export function rakp2AuthCode(authAlg: number, kuid: Uint8Array, i: RakpInputs): Uint8Array {
  return authHmac(authAlg, kuid, u32le(i.consoleSessionId), u32le(i.bmcSessionId), i.consoleRandom, i.bmcRandom, i.bmcGuid, roleAndName(i));
}

/** RAKP3 AuthCode: HMAC_Kuid(Rc, SIDm, ROLEm, ULENGTHm, UNAMEm). */
export function rakp3AuthCode(authAlg: number, kuid: Uint8Array, i: RakpInputs): Uint8Array {
  return authHmac(authAlg, kuid, i.bmcRandom, u32le(i.consoleSessionId), roleAndName(i));
}

/** Session integrity key: HMAC_Kg(Rm, Rc, ROLEm, ULENGTHm, UNAMEm); Kg falls back to Kuid when unset. */
export function sessionIntegrityKey(authAlg: number, kg: Uint8Array, i: RakpInputs): Uint8Array {
  return authHmac(authAlg, kg, i.consoleRandom, i.bmcRandom, roleAndName(i));
}

/** RAKP4 integrity check value: HMAC_SIK(Rm, SIDc, GUIDc), truncated per algorithm. */
export function rakp4Icv(authAlg: number, sik: Uint8Array, i: RakpInputs): Uint8Array {
  return authHmac(authAlg, sik, i.consoleRandom, u32le(i.bmcSessionId), i.bmcGuid).subarray(0, rakp4IcvLength(authAlg));
}

const CONST1 = new Uint8Array(20).fill(1);
const CONST2 = new Uint8Array(20).fill(2);

/** K1/K2: HMAC_SIK of twenty 0x01 / 0x02 bytes (20 even for SHA-256, as ipmitool and FreeIPMI do). */
export function deriveK1(authAlg: number, sik: Uint8Array): Uint8Array {
  return authHmac(authAlg, sik, CONST1);
}
export function deriveK2(authAlg: number, sik: Uint8Array): Uint8Array {
  return authHmac(authAlg, sik, CONST2);
}

// ---- per-packet integrity (§13.28.4) and confidentiality (§13.29) ---------------------------

export function integrityLength(integrityAlg: number): number {
  switch (integrityAlg) {
    case IntegrityAlg.None:
      return 0;
    case IntegrityAlg.HmacSha1_96:
      return 12;
    default:
      return 16;
  }
}

/** AuthCode over `data` (auth type byte through next-header byte). */
export function integrityMac(integrityAlg: number, k1: Uint8Array, kuid20: Uint8Array, data: Uint8Array): Uint8Array {
  switch (integrityAlg) {
    case IntegrityAlg.HmacSha1_96:
      return new Uint8Array(createHmac('sha1', k1).update(data).digest().subarray(0, 12));
    case IntegrityAlg.HmacMd5_128:
      return new Uint8Array(createHmac('md5', k1).update(data).digest());
    case IntegrityAlg.Md5_128:
      // Not an HMAC: MD5(password20 + data + password20), keyed with the user's password.
      return new Uint8Array(createHash('md5').update(kuid20).update(data).update(kuid20).digest());
    case IntegrityAlg.HmacSha256_128:
      return new Uint8Array(createHmac('sha256', k1).update(data).digest().subarray(0, 16));
    default:
      throw new Error(`unsupported integrity algorithm ${integrityAlg}`);
  }
}

/** AES-CBC-128 payload: IV + ciphertext of (message, pad 1..n, n). */
export function aesEncrypt(k2: Uint8Array, iv: Uint8Array, plaintext: Uint8Array): Uint8Array {
  const padLen = (16 - ((plaintext.length + 1) % 16)) % 16;
  const block = new Uint8Array(plaintext.length + padLen + 1);
  block.set(plaintext);
  for (let i = 1; i <= padLen; i++) block[plaintext.length + i - 1] = i;
  block[block.length - 1] = padLen;
  const c = createCipheriv('aes-128-cbc', k2.subarray(0, 16), iv).setAutoPadding(false);
  const out = new Uint8Array(16 + block.length);
  out.set(iv);
  out.set(c.update(block), 16);
  c.final();
  return out;
}

/** Decrypts IV + ciphertext and strips the confidentiality pad; undefined if malformed. */
export function aesDecrypt(k2: Uint8Array, payload: Uint8Array): Uint8Array | undefined {
  if (payload.length < 32 || payload.length % 16 !== 0) return undefined;
  const d = createDecipheriv('aes-128-cbc', k2.subarray(0, 16), payload.subarray(0, 16)).setAutoPadding(false);
  const plain = new Uint8Array(d.update(payload.subarray(16)));
  d.final();
  const padLen = plain[plain.length - 1]!;
  if (padLen > 15 || padLen + 1 > plain.length) return undefined;
  const msgLen = plain.length - padLen - 1;
  for (let i = 1; i <= padLen; i++) if (plain[msgLen + i - 1] !== i) return undefined;
  return plain.subarray(0, msgLen);
}
