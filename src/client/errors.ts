// Typed client errors: a timeout, a bad password and a completion code are different
// failures and scripts need to tell them apart (each maps to its own exit code).

import { completionCodeName } from '../protocol/completion-codes.js';

export const ExitCode = {
  Ok: 0,
  /** The BMC answered with an error, or an operation failed (ipmitool's only failure code). */
  Failure: 1,
  Usage: 64,
  /** No answer: host unreachable, wrong port, BMC down. */
  Unreachable: 69,
  Software: 70,
  /** Authentication or privilege refused. */
  Auth: 77,
  Config: 78,
  Interrupted: 130,
} as const;

export class IpmiError extends Error {
  code = 'IPMI_ERROR';
  exitCode: number = ExitCode.Failure;
  constructor(message?: string) {
    super(message);
    this.name = new.target.name;
  }
}

export class IpmiTimeoutError extends IpmiError {
  override code = 'TIMEOUT';
  override exitCode = ExitCode.Unreachable;
}

export type AuthFailure = 'password' | 'username' | 'privilege' | 'k_g' | 'anonymous';

export class IpmiAuthError extends IpmiError {
  override code = 'AUTHENTICATION_FAILED';
  override exitCode = ExitCode.Auth;
  readonly reason: AuthFailure;
  constructor(reason: AuthFailure, message: string) {
    super(message);
    this.reason = reason;
  }
}

export class IpmiCipherSuiteError extends IpmiError {
  override code = 'CIPHER_SUITE_UNAVAILABLE';
  override exitCode = ExitCode.Auth;
}

/** The session could not be established for another reason (RMCP+ status, no slots...). */
export class IpmiSessionError extends IpmiError {
  override code = 'SESSION_FAILED';
  readonly status: number | undefined;
  constructor(message: string, status?: number) {
    super(message);
    this.status = status;
  }
}

export class IpmiCompletionError extends IpmiError {
  override code = 'COMPLETION_CODE';
  readonly completionCode: number;
  readonly netFn: number;
  readonly cmd: number;
  readonly commandName: string;
  /** `message` replaces the default "<command>: <code name>" text (ipmitool's own wording). */
  constructor(cc: number, netFn: number, cmd: number, commandName: string, specific?: Readonly<Record<number, string>>, message?: string) {
    super(message ?? `${commandName}: ${completionCodeName(cc, specific)}`);
    this.completionCode = cc;
    this.netFn = netFn;
    this.cmd = cmd;
    this.commandName = commandName;
    // Insufficient privilege is an authorization problem, not a failed operation.
    if (cc === 0xd4) this.exitCode = ExitCode.Auth;
  }
  get ccName(): string {
    return completionCodeName(this.completionCode);
  }
}

/** The BMC answered, but with data that does not decode (too short, bad field). */
export class IpmiResponseError extends IpmiError {
  override code = 'BAD_RESPONSE';
}

/** An operation that did not do what was asked, without a completion code (exit 1, like ipmitool). */
export class OperationError extends IpmiError {
  override code = 'OPERATION_FAILED';
}

export class UsageError extends IpmiError {
  override code = 'USAGE';
  override exitCode = ExitCode.Usage;
}
