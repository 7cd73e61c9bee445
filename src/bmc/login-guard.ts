// Bad password lockout (IPMI v2.0 LAN configuration parameter 26, "Bad Password Threshold"):
// after `threshold` sequential failed logins for one user, the user is disabled for the user
// lockout interval, or until re-enabled when that interval is 0 (the spec's "remains disabled").
// A successful login resets the count; so does the attempt count reset interval passing without
// a failure. This is what real BMCs do against online password guessing. (It cannot stop the
// offline attack on a captured RAKP 2, CVE-2013-4786: that is inherent to IPMI 2.0.)
//
// The parameter's bytes are read each time, so `ipmitool lan set 1 bad_pass_thresh` applies at once.

import { LanParam } from '../ipmi/commands/transport.js';
import type { BmcCore } from './core.js';

/** Sensor type 2Ah Session Audit, offset 03h "Invalid password disable" (IPMI v2.0 Table 42-3). */
const SESSION_AUDIT = 0x2a;
const INVALID_PASSWORD_DISABLE = 0x03;
/** The sensor number the BMC's own session audit events carry (no SDR describes it). */
export const SESSION_AUDIT_SENSOR = 0xff;

interface Attempts {
  failures: number;
  lastFailure: number;
  /** Clock time until which the user is locked out; Infinity once disabled outright. */
  lockedUntil: number;
}

export interface BadPasswordPolicy {
  threshold: number;
  event: boolean;
  /** Milliseconds; 0 = the count is never reset by time. */
  resetInterval: number;
  /** Milliseconds; 0 = the user stays disabled until re-enabled. */
  lockoutInterval: number;
}

export function decodeBadPasswordPolicy(b: Uint8Array): BadPasswordPolicy {
  return {
    event: (b[0]! & 1) !== 0,
    threshold: b[1]!,
    resetInterval: (b[2]! | (b[3]! << 8)) * 10_000,
    lockoutInterval: (b[4]! | (b[5]! << 8)) * 10_000,
  };
}

export class LoginGuard {
  private readonly bmc: BmcCore;
  /** Per user ID; only users that failed recently have an entry, so the map stays small. */
  private readonly attempts = new Map<number, Attempts>();
  /** Logins refused because the user was locked out (for tests and `ctl dump`). */
  refused = 0;

  constructor(bmc: BmcCore) {
    this.bmc = bmc;
  }

  policy(): BadPasswordPolicy {
    const p = this.bmc.lanParams.get(LanParam.BadPasswordThreshold);
    return p instanceof Uint8Array ? decodeBadPasswordPolicy(p) : { threshold: 0, event: false, resetInterval: 0, lockoutInterval: 0 };
  }

  /** True while the user may not log in; counts the refusal. */
  locked(userId: number): boolean {
    const a = this.attempts.get(userId);
    if (!a || a.lockedUntil === 0) return false;
    if (this.bmc.clock.now() < a.lockedUntil) {
      this.refused++;
      return true;
    }
    this.attempts.delete(userId);
    this.bmc.log.info('user lockout ended', { user: userId });
    return false;
  }

  /** A login for this user failed its password check. */
  failed(userId: number, channel: number): void {
    const policy = this.policy();
    if (policy.threshold === 0) return;
    const now = this.bmc.clock.now();
    let a = this.attempts.get(userId);
    if (a && policy.resetInterval > 0 && now - a.lastFailure >= policy.resetInterval) a = undefined;
    a ??= { failures: 0, lastFailure: now, lockedUntil: 0 };
    a.failures++;
    a.lastFailure = now;
    this.attempts.set(userId, a);
    if (a.failures < policy.threshold) return;
    const user = this.bmc.users.get(userId);
    if (policy.lockoutInterval === 0) {
      // Disabled as Set User Password "disable user" does: `user enable` undoes it.
      this.attempts.delete(userId);
      this.bmc.users.setEnabled(userId, false);
    } else {
      a.lockedUntil = now + policy.lockoutInterval;
    }
    this.bmc.log.warn('user locked out after bad passwords', {
      user: user?.name ?? userId,
      failures: a.failures,
      lockout: policy.lockoutInterval === 0 ? 'until re-enabled' : `${policy.lockoutInterval / 1000} s`,
    });
    if (policy.event) {
      this.bmc.events.log({
        sensorType: SESSION_AUDIT,
        sensorNumber: SESSION_AUDIT_SENSOR,
        eventType: 0x6f,
        deassertion: false,
        // Event data 2 and 3 are sensor-specific extensions: the user ID and the channel.
        data1: 0xf0 | INVALID_PASSWORD_DISABLE,
        data2: userId & 0x3f,
        data3: channel & 0x0f,
      });
    }
  }

  /** A login succeeded: the sequence of bad passwords is broken. */
  succeeded(userId: number): void {
    this.attempts.delete(userId);
  }
}
