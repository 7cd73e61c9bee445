// What `ipmi-sim serve` is asked to do: the CLI builds it from its flags, serve reads it.

export interface ServeOptions {
  config?: string;
  lan: string;
  stateDir?: string;
  allowDefaultPassword?: boolean;
  logFormat: 'text' | 'json';
  instances?: string;
  bmc?: 'standalone' | 'external' | 'internal';
  extern?: string;
  /** Where to listen for the guest's serial port (SOL); standalone: for a QEMU the user started. */
  sol?: string;
  vmCommand?: string;
  powerOnAtStart?: boolean;
  stopVmOnExit?: boolean;
  qemuVersion?: string;
  /** HOST:PORT for Redfish over HTTPS; true = the default address. Off when undefined. */
  redfish?: string | boolean;
  tlsCert?: string;
  tlsKey?: string;
}

/** Where serve writes (the CLI passes its own io) and how much it logs. */
export interface ServeEnv {
  io: { out(text: string): void; err(text: string): void; readonly env: NodeJS.ProcessEnv };
  verbose: number;
}
