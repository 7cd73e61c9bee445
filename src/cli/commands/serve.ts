// `ipmi-sim serve`: the BMC simulator. The BMC stack is imported lazily so that client
// commands start fast.

import { Command, Option } from 'commander';
import { ExitCode, UsageError } from '../../client/errors.js';
import type { CliContext } from '../context.js';
import type { ServeOptions } from '../../serve/options.js';

export const DEFAULT_LAN = '127.0.0.1:6230';

export function serveCommand(ctx: CliContext): Command {
  return new Command('serve')
    .description('run a simulated BMC that answers IPMI over LAN (RMCP and RMCP+, UDP)')
    .option('--config <file>', 'BMC description (YAML); default: the embedded 1U server')
    .option('--lan <host:port>', 'UDP address to answer IPMI on', DEFAULT_LAN)
    .option('--state-dir <dir>', 'where SEL, users, FRU writes and power state persist')
    .addOption(new Option('--bmc <mode>', 'standalone: power is state only; external: be the VM\'s BMC over ipmi-bmc-extern; internal: the VM runs QEMU\'s ipmi-bmc-sim, power via QMP').choices(['standalone', 'external', 'internal']))
    .option('--extern <endpoint>', 'external BMC: HOST:PORT or Unix socket path to listen on for QEMU (default 127.0.0.1:9002)')
    .option('--sol <endpoint>', 'HOST:PORT or Unix socket path to listen on for the VM\'s serial port (SOL; default with a VM: STATE-DIR/sol.sock; standalone: for a QEMU you started)')
    .option('--vm-command <cmdline>', 'the VM\'s QEMU command line (overrides the config\'s vm section); IPMI devices are added if missing')
    .option('--power-on-at-start', 'power the VM on when serve starts (like ipmi_sim\'s startnow)')
    .option('--stop-vm-on-exit', 'stop the VM when serve exits (default: leave it running, as a host does when its BMC restarts)')
    .option('--qemu-version <x.y>', 'QEMU version for the generated arguments (default: probe the binary)')
    .option('--instances <n>', 'run N BMCs in this process on consecutive ports (fleet testing); each gets STATE-DIR/<i>')
    .option('--redfish [host:port]', 'also answer DMTF Redfish over HTTPS on this address (default 127.0.0.1:8443), from the same BMC')
    .option('--tls-cert <file>', 'Redfish: PEM certificate (default: a self-signed one made in the state dir on first start)')
    .option('--tls-key <file>', 'Redfish: PEM private key of --tls-cert')
    .option('--allow-default-password', 'allow a non-loopback --lan or --redfish while a user still has the default password')
    .addOption(new Option('--log-format <format>', 'log lines as text or NDJSON').choices(['text', 'json']).default('text'))
    .addHelpText(
      'after',
      `
The default BMC listens on ${DEFAULT_LAN} with user "admin", password "password"
(ADMINISTRATOR). Example:
  ipmi-sim serve &
  ipmitool -I lanplus -H 127.0.0.1 -p 6230 -U admin -P password mc info
With --redfish the same BMC answers Redfish too:
  ipmi-sim serve --redfish &
  curl -k -u admin:password https://127.0.0.1:8443/redfish/v1/Systems/system
`,
    )
    .action(async (opts: ServeOptions, cmd: Command) => {
      const g = ctx.globals(cmd);
      try {
        const { runServe } = await import('../../serve/serve.js');
        const rc = await runServe(opts, { io: ctx.io, verbose: g.verbose });
        ctx.exitCode = rc;
      } catch (e) {
        if (e instanceof Error && e.name === 'ConfigError') {
          ctx.io.err(`ipmi-sim: config error: ${e.message}\n`);
          ctx.exitCode = ExitCode.Config;
          return;
        }
        if (e instanceof UsageError) {
          ctx.io.err(`ipmi-sim serve: ${e.message}\n`);
          ctx.exitCode = ExitCode.Usage;
          return;
        }
        ctx.fail(e, g);
      }
    });
}
