// YAML section "sol": Serial over LAN. The first group are the SOL configuration parameters'
// power-on values (IPMI v2.0 Table 26-5; `ipmitool sol set` changes them at run time and they
// persist), then what ipmi-sim keeps for late joiners, and the console that answers when no VM
// is behind the BMC.
//
//   sol:
//     enabled: true
//     forceEncryption: false      # refuse activation on sessions without confidentiality
//     forceAuthentication: false  # ... without integrity
//     privilege: user             # least session privilege that may activate SOL
//     accumulateInterval: 20      # ms the BMC waits for more output before sending (5 ms steps)
//     sendThreshold: 251          # characters that make the BMC send at once
//     retryCount: 7               # resends of an unacknowledged packet (0-7)
//     retryInterval: 100          # ms between resends (10 ms steps)
//     bitRate: 115.2              # 9.6, 19.2, 38.4, 57.6, 115.2 kbit/s, or "serial" (IPMI-over-serial setting)
//     history:
//       size: 65536               # bytes of output kept (ring) for instance 2 and for replay
//       replay: unseen            # on activating instance 1: unseen (what no SOL client has seen
//                                 # yet), all (the whole ring), none (live output only, as most BMCs)
//     log: true                   # append all output to <state-dir>/console.log
//     console:                    # standalone BMC (no VM): what answers on the serial port
//       mode: echo                # echo | login | script | none
//       banner: "..."             # login/script: printed when SOL is first activated
//       hostname: sim-1u          # login: default identity.systemName
//       user: root                # login: the accepted user and password
//       password: root
//       script:                   # script: each rule answers input that matches `expect`
//         - { expect: "^help", send: "no help here\r\n" }

import { privilegeValue, PRIVILEGES } from './privileges.js';
import type { ConfigNode, ConfigSection } from './schema.js';

export const SOL_BIT_RATE_NAMES = ['serial', '9.6', '19.2', '38.4', '57.6', '115.2'] as const;
const BIT_RATE_CODES: Record<(typeof SOL_BIT_RATE_NAMES)[number], number> = { serial: 0, '9.6': 6, '19.2': 7, '38.4': 8, '57.6': 9, '115.2': 10 };

export type SolReplay = 'unseen' | 'all' | 'none';
export type StandaloneConsoleMode = 'echo' | 'login' | 'script' | 'none';

export interface ScriptRule {
  expect: RegExp;
  send: string;
}

export interface StandaloneConsoleConfig {
  mode: StandaloneConsoleMode;
  banner?: string;
  hostname?: string;
  user: string;
  password: string;
  script: ScriptRule[];
}

/** The persistent SOL configuration parameters (1-5), as the config gives their power-on values. */
export interface SolParamValues {
  enabled: boolean;
  forceEncryption: boolean;
  forceAuthentication: boolean;
  /** Least privilege that may activate (2 user .. 5 OEM; 1 callback allowed). */
  privilege: number;
  /** SOL parameter 3 byte 1: units of 5 ms, 1-255. */
  accumulateInterval5ms: number;
  /** SOL parameter 3 byte 2: characters, 1-255. */
  sendThreshold: number;
  /** SOL parameter 4 byte 1: 0-7. */
  retryCount: number;
  /** SOL parameter 4 byte 2: units of 10 ms, 0-255. */
  retryInterval10ms: number;
  /** SOL parameters 5 and 6: 0 = IPMI-over-serial setting, 6-10 = 9.6-115.2 kbit/s. */
  bitRate: number;
}

export interface SolConfig extends SolParamValues {
  historySize: number;
  replay: SolReplay;
  log: boolean;
  console: StandaloneConsoleConfig;
}

export function defaultSolConfig(): SolConfig {
  return {
    enabled: true,
    forceEncryption: false,
    forceAuthentication: false,
    privilege: 2,
    accumulateInterval5ms: 4,
    sendThreshold: 251,
    retryCount: 7,
    retryInterval10ms: 10,
    bitRate: 10,
    historySize: 65536,
    replay: 'unseen',
    log: true,
    console: { mode: 'echo', user: 'root', password: 'root', script: [] },
  };
}

function steps(v: ConfigNode, unitMs: number, min: number, max: number): number {
  const ms = v.int(min * unitMs, max * unitMs);
  if (ms % unitMs !== 0) throw v.error(`expected a multiple of ${unitMs} ms, got ${ms}`);
  return ms / unitMs;
}

function parseConsole(n: ConfigNode, c: StandaloneConsoleConfig): void {
  for (const [k, v] of n.map(['mode', 'banner', 'hostname', 'user', 'password', 'script'])) {
    switch (k) {
      case 'mode':
        c.mode = v.oneOf(['echo', 'login', 'script', 'none'] as const);
        break;
      case 'banner':
        c.banner = v.str(4096);
        break;
      case 'hostname':
        c.hostname = v.str(64);
        break;
      case 'user':
        c.user = v.str(32);
        break;
      case 'password':
        c.password = v.str(64);
        break;
      case 'script':
        c.script = v.list().map((item) => {
          const f = item.map(['expect', 'send']);
          const e = f.get('expect');
          const s = f.get('send');
          if (!e || !s) throw item.error('a script rule needs expect and send');
          let expect: RegExp;
          try {
            expect = new RegExp(e.str(512));
          } catch (err) {
            throw e.error(`not a regular expression: ${(err as Error).message}`);
          }
          return { expect, send: s.str(4096) };
        });
        break;
    }
  }
  if (c.mode === 'script' && c.script.length === 0) throw n.error('mode "script" needs a script: list of { expect, send } rules');
}

export const solSection: ConfigSection = {
  name: 'sol',
  parse: (node, config) => {
    const sol = config.sol;
    for (const [k, v] of node.map([
      'enabled',
      'forceEncryption',
      'forceAuthentication',
      'privilege',
      'accumulateInterval',
      'sendThreshold',
      'retryCount',
      'retryInterval',
      'bitRate',
      'history',
      'log',
      'console',
    ])) {
      switch (k) {
        case 'enabled':
          sol.enabled = v.bool();
          break;
        case 'forceEncryption':
          sol.forceEncryption = v.bool();
          break;
        case 'forceAuthentication':
          sol.forceAuthentication = v.bool();
          break;
        case 'privilege':
          sol.privilege = privilegeValue(v.oneOf(PRIVILEGES.slice(0, 5)));
          break;
        case 'accumulateInterval':
          sol.accumulateInterval5ms = steps(v, 5, 1, 255);
          break;
        case 'sendThreshold':
          sol.sendThreshold = v.int(1, 255);
          break;
        case 'retryCount':
          sol.retryCount = v.int(0, 7);
          break;
        case 'retryInterval':
          sol.retryInterval10ms = steps(v, 10, 0, 255);
          break;
        case 'bitRate':
          sol.bitRate = BIT_RATE_CODES[v.oneOf(SOL_BIT_RATE_NAMES)];
          break;
        case 'history':
          for (const [hk, hv] of v.map(['size', 'replay'])) {
            if (hk === 'size') sol.historySize = hv.int(0, 16 * 1024 * 1024);
            else sol.replay = hv.oneOf(['unseen', 'all', 'none'] as const);
          }
          break;
        case 'log':
          sol.log = v.bool();
          break;
        case 'console':
          parseConsole(v, sol.console);
          break;
      }
    }
  },
};
