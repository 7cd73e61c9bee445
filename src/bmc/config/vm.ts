// YAML section "vm": the QEMU VM behind the BMC (`serve --bmc external|internal`). Either a
// full command line (`command`, like ipmi_sim's startcmd; the IPMI devices are added when it
// has none) or a short form from which ipmi-sim builds the command line with the qemu-args
// builder. Power-off staging follows ipmi_sim: poweroffWait, then SIGTERM, killWait, SIGKILL.

import type { ConfigNode, ConfigSection } from './schema.js';

export interface VmConfig {
  /** Full command line: a string (split like a shell would, without expansions) or a list. */
  command?: string[];
  qemu: string;
  machine?: string;
  accel?: string;
  memoryMiB?: number;
  smp?: number;
  kernel?: string;
  initrd?: string;
  append?: string;
  disk?: string;
  cdrom?: string;
  serial?: string[];
  extraArgs?: string[];
  interface: 'kcs' | 'bt' | 'pci-kcs' | 'pci-bt' | 'ssif';
  powerOffWait: number;
  killWait: number;
  powerOnAtStart: boolean;
}

export const defaultVmConfig = (): VmConfig => ({ qemu: 'qemu-system-x86_64', interface: 'kcs', powerOffWait: 60, killWait: 20, powerOnAtStart: false });

/** Splits a command line into words: quotes and backslashes like sh, no expansions. */
export function splitCommandLine(text: string): string[] {
  const out: string[] = [];
  let cur = '';
  let inWord = false;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === quote) quote = undefined;
      else if (c === '\\' && quote === '"' && i + 1 < text.length && '"\\$`'.includes(text[i + 1]!)) cur += text[++i];
      else cur += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      inWord = true;
    } else if (c === '\\' && i + 1 < text.length) {
      cur += text[++i];
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) out.push(cur);
      cur = '';
      inWord = false;
    } else {
      cur += c;
      inWord = true;
    }
  }
  if (quote) throw new Error(`unterminated ${quote} quote`);
  if (inWord) out.push(cur);
  return out;
}

function strings(n: ConfigNode): string[] {
  return n.list().map((i) => i.str());
}

export function parseVmSection(n: ConfigNode): VmConfig {
  const f = n.map(['command', 'qemu', 'machine', 'accel', 'memory', 'smp', 'kernel', 'initrd', 'append', 'disk', 'cdrom', 'serial', 'extraArgs', 'interface', 'powerOffWait', 'killWait', 'powerOnAtStart']);
  const vm = defaultVmConfig();
  for (const [k, v] of f) {
    switch (k) {
      case 'command':
        if (v.node && 'items' in v.node) vm.command = strings(v);
        else {
          try {
            vm.command = splitCommandLine(v.str());
          } catch (e) {
            throw v.error((e as Error).message);
          }
        }
        if (vm.command.length === 0) throw v.error('empty command line');
        break;
      case 'qemu':
        vm.qemu = v.str();
        break;
      case 'machine':
        vm.machine = v.str();
        break;
      case 'accel':
        vm.accel = v.str();
        break;
      case 'memory':
        vm.memoryMiB = v.int(16, 1 << 20);
        break;
      case 'smp':
        vm.smp = v.int(1, 1024);
        break;
      case 'kernel':
      case 'initrd':
      case 'append':
      case 'disk':
      case 'cdrom':
        vm[k] = v.str();
        break;
      case 'serial':
        vm.serial = strings(v);
        break;
      case 'extraArgs':
        vm.extraArgs = strings(v);
        break;
      case 'interface':
        vm.interface = v.oneOf(['kcs', 'bt', 'pci-kcs', 'pci-bt', 'ssif'] as const);
        break;
      case 'powerOffWait':
        vm.powerOffWait = v.int(0, 3600);
        break;
      case 'killWait':
        vm.killWait = v.int(0, 3600);
        break;
      case 'powerOnAtStart':
        vm.powerOnAtStart = v.bool();
        break;
    }
  }
  return vm;
}

export const vmSection: ConfigSection = {
  name: 'vm',
  parse: (node, config) => {
    config.vm = parseVmSection(node);
  },
};
