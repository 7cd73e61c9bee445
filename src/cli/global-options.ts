// ipmitool's global options, spelled exactly as ipmitool spells them, so that scripts keep
// working when `ipmitool` is replaced by `ipmi-sim`.

import { Option, type Command } from 'commander';

export interface GlobalOptions {
  I?: string;
  H?: string;
  p?: string;
  U?: string;
  P?: string;
  E?: boolean;
  f?: string;
  A?: string;
  L?: string;
  C?: string;
  k?: string;
  y?: string;
  N?: string;
  R?: string;
  verbose: number;
  c?: boolean;
  json?: boolean;
  /** -o: output format (text, table, json, csv). */
  output?: string;
  color?: boolean;
  fanout?: string;
  consolidate?: boolean;
  /** -S: read SDRs from this `sdr dump` file instead of the BMC. */
  S?: string;
  /** -Z: print dates in UTC. */
  Z?: boolean;
  /** --no-cache sets this to false: neither read nor write the SDR cache. */
  cache?: boolean;
}

const count = (_: string, prev: number) => prev + 1;

export function addGlobalOptions(program: Command): Command {
  return program
    .addOption(new Option('-I <interface>', 'interface: lan (IPMI v1.5) or lanplus (IPMI v2.0/RMCP+); default lanplus, falling back to lan').choices(['lan', 'lanplus']))
    .option('-H <address>', 'remote BMC address; a host list or range for fan-out: a,b  bmc[01-50]  127.0.0.1:[6230-6239] (default: the local simulator, 127.0.0.1:6230)')
    .option('-p <port>', 'remote RMCP port (default 623 with -H, else 6230)')
    .option('-U <username>', 'remote session username')
    .option('-P <password>', 'remote session password')
    .option('-E', 'read the password from IPMITOOL_PASSWORD, else IPMI_PASSWORD')
    .option('-f <file>', 'read the password from a file')
    .addOption(new Option('-A <authtype>', 'IPMI v1.5 authentication type').choices(['NONE', 'PASSWORD', 'MD2', 'MD5', 'none', 'password', 'md2', 'md5']))
    .option('-L <privlvl>', 'session privilege level: CALLBACK, USER, OPERATOR, ADMINISTRATOR (append + for username/privilege lookup)')
    .option('-C <ciphersuite>', 'RMCP+ cipher suite (default: best offered by the BMC, 17 then 3)')
    .option('-k <key>', 'K_G BMC key')
    .option('-y <hexkey>', 'K_G BMC key in hexadecimal')
    .option('-N <seconds>', 'timeout per attempt (default 1 for lanplus, 2 for lan)')
    .option('-R <count>', 'attempts per request (default 4)')
    .option('-v, --verbose', 'more output; repeat for protocol traces', count, 0)
    .option('-c', 'CSV output where ipmitool has it')
    .option('--json', 'one JSON document on stdout')
    .addOption(new Option('-o, --output <format>', 'output format: text (ipmitool), table (lists as tables), json, csv').choices(['text', 'table', 'json', 'csv']))
    .option('--fanout <n>', 'with several hosts in -H: how many to talk to at once (default 64)')
    .option('--consolidate', 'with several hosts: group hosts whose output is identical')
    .option('--no-color', 'no ANSI colours (also NO_COLOR)')
    .option('-S <file>', 'read SDRs from a file written by `sdr dump` instead of the BMC')
    .option('-Z', 'print dates in UTC')
    .option('--no-cache', 'neither use nor update the SDR cache (${XDG_CACHE_HOME:-~/.cache}/ipmi-sim/sdr)');
}
