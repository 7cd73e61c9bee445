// SOL configuration parameters 0-8 (IPMI v2.0 §26.2-26.3, Table 26-5; sol.md §3): what
// `ipmitool sol info` prints, `sol set` and `bmc-config -S SOL_Conf` change, and what the SOL
// engine reads on every decision (so a change applies to the next packet). Parameters 1-5
// persist (saved before the write is acknowledged); 0 and the volatile bit rate (6) do not:
// the volatile rate starts from the non-volatile one. 7 (channel) is read-only and 8 (port)
// is the UDP port SOL runs on, which is the LAN port: writing that same value is accepted (a
// config tool commits every key it read), any other is refused.

import { CC } from '../../protocol/completion-codes.js';
import { SolParam } from '../../ipmi/commands/transport.js';
import type { SolParamValues } from '../config/sol.js';
import type { BmcCore } from '../core.js';
import { fingerprint, SavedReader } from '../state/persist.js';

const KEY = 'sol';
const BIT_RATES = new Set([0, 6, 7, 8, 9, 10]);

export type SolParamResult<T> = T | { cc: number };

function paramValues(c: SolParamValues): SolParamValues {
  const { enabled, forceEncryption, forceAuthentication, privilege, accumulateInterval5ms, sendThreshold, retryCount, retryInterval10ms, bitRate } = c;
  return { enabled, forceEncryption, forceAuthentication, privilege, accumulateInterval5ms, sendThreshold, retryCount, retryInterval10ms, bitRate };
}

export class SolParams {
  private readonly bmc: BmcCore;
  private readonly base: string;
  private v: SolParamValues;
  /** Parameter 0 [1:0]: 0 set complete, 1 set in progress. Volatile. */
  setInProgress = 0;
  volatileBitRate: number;
  /** The UDP port SOL runs on (the LAN channel's); the transport sets it once bound. */
  port = 623;

  constructor(bmc: BmcCore) {
    this.bmc = bmc;
    this.v = paramValues(bmc.config.sol);
    this.base = fingerprint(this.v);
    this.load();
    this.volatileBitRate = this.v.bitRate;
  }

  get enabled(): boolean {
    return this.v.enabled;
  }
  get forceEncryption(): boolean {
    return this.v.forceEncryption;
  }
  get forceAuthentication(): boolean {
    return this.v.forceAuthentication;
  }
  /** Least session privilege that may activate SOL, 1-5. */
  get privilege(): number {
    return this.v.privilege;
  }
  get sendThreshold(): number {
    return this.v.sendThreshold;
  }
  get retryCount(): number {
    return this.v.retryCount;
  }
  get accumulateMs(): number {
    return this.v.accumulateInterval5ms * 5;
  }
  get retryIntervalMs(): number {
    return this.v.retryInterval10ms * 10;
  }

  get(parameter: number): SolParamResult<Uint8Array> {
    const v = this.v;
    switch (parameter) {
      case SolParam.SetInProgress:
        return Uint8Array.of(this.setInProgress);
      case SolParam.Enable:
        return Uint8Array.of(v.enabled ? 1 : 0);
      case SolParam.Authentication:
        return Uint8Array.of((v.forceEncryption ? 0x80 : 0) | (v.forceAuthentication ? 0x40 : 0) | (v.privilege & 0x0f));
      case SolParam.AccumulateInterval:
        return Uint8Array.of(v.accumulateInterval5ms, v.sendThreshold);
      case SolParam.Retry:
        return Uint8Array.of(v.retryCount, v.retryInterval10ms);
      case SolParam.NonVolatileBitRate:
        return Uint8Array.of(v.bitRate);
      case SolParam.VolatileBitRate:
        return Uint8Array.of(this.volatileBitRate);
      case SolParam.PayloadChannel:
        return Uint8Array.of(this.bmc.config.lan.channel);
      case SolParam.PayloadPort:
        return Uint8Array.of(this.port & 0xff, this.port >> 8);
      default:
        return { cc: 0x80 };
    }
  }

  /** Sets a parameter: 80h unsupported, 81h set-in-progress conflict, 82h read-only. */
  set(parameter: number, data: Uint8Array): SolParamResult<void> {
    if (parameter > SolParam.PayloadPort) return { cc: 0x80 };
    const want = parameter === SolParam.AccumulateInterval || parameter === SolParam.Retry || parameter === SolParam.PayloadPort ? 2 : 1;
    if (data.length !== want) return { cc: CC.RequestDataLengthInvalid };
    const b = data[0]!;
    switch (parameter) {
      case SolParam.SetInProgress: {
        const v = b & 3;
        if (v === 3) return { cc: CC.InvalidDataField };
        if (v === 1 && this.setInProgress === 1) return { cc: 0x81 };
        // Commit write: writes already took effect; the flag returns to "set in progress".
        this.setInProgress = v === 0 ? 0 : 1;
        return undefined;
      }
      case SolParam.Enable:
        return this.change({ enabled: (b & 1) === 1 });
      case SolParam.Authentication: {
        const privilege = b & 0x0f;
        if (privilege < 1 || privilege > 5) return { cc: CC.ParameterOutOfRange };
        return this.change({ forceEncryption: (b & 0x80) !== 0, forceAuthentication: (b & 0x40) !== 0, privilege });
      }
      case SolParam.AccumulateInterval:
        // Both fields count from 1 (Table 26-5); 0 would mean "never" or "nothing".
        if (b === 0 || data[1] === 0) return { cc: CC.ParameterOutOfRange };
        return this.change({ accumulateInterval5ms: b, sendThreshold: data[1]! });
      case SolParam.Retry:
        if ((b & 0xf8) !== 0) return { cc: CC.ParameterOutOfRange };
        return this.change({ retryCount: b & 7, retryInterval10ms: data[1]! });
      case SolParam.NonVolatileBitRate:
      case SolParam.VolatileBitRate: {
        if ((b & 0xf0) !== 0 || !BIT_RATES.has(b)) return { cc: CC.ParameterOutOfRange };
        if (parameter === SolParam.NonVolatileBitRate) return this.change({ bitRate: b });
        this.volatileBitRate = b;
        return undefined;
      }
      case SolParam.PayloadChannel:
        return { cc: 0x82 };
      default: {
        // SolParam.PayloadPort
        const port = b | (data[1]! << 8);
        return port === this.port ? undefined : { cc: 0x82 };
      }
    }
  }

  /** Applies a change and saves it; a failed save keeps the old values and rethrows (FFh). */
  private change(update: Partial<SolParamValues>): undefined {
    const next = { ...this.v, ...update };
    this.bmc.store.save(KEY, { version: 1, base: this.base, ...next });
    this.v = next;
    return undefined;
  }

  private load(): void {
    const saved = this.bmc.store.load(KEY);
    if (saved === undefined) return;
    const rd = new SavedReader(KEY);
    const o = rd.object(saved, 'sol');
    rd.int(o.version, 'version', 1, 1);
    const base = rd.str(o.base, 'base');
    const v: SolParamValues = {
      enabled: rd.bool(o.enabled, 'enabled'),
      forceEncryption: rd.bool(o.forceEncryption, 'forceEncryption'),
      forceAuthentication: rd.bool(o.forceAuthentication, 'forceAuthentication'),
      privilege: rd.int(o.privilege, 'privilege', 1, 5),
      accumulateInterval5ms: rd.int(o.accumulateInterval5ms, 'accumulateInterval5ms', 1, 255),
      sendThreshold: rd.int(o.sendThreshold, 'sendThreshold', 1, 255),
      retryCount: rd.int(o.retryCount, 'retryCount', 0, 7),
      retryInterval10ms: rd.int(o.retryInterval10ms, 'retryInterval10ms', 0, 255),
      bitRate: rd.int(o.bitRate, 'bitRate', 0, 10),
    };
    if (base !== this.base) {
      this.bmc.log.warn('SOL settings in the config changed since the state was saved; using the config', { state: KEY });
      return;
    }
    this.v = v;
  }
}
