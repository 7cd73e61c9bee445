// Every command spec, indexed by (netFn, cmd). New command families register here.

import { commandKey, type AnySpec } from './spec.js';
import { appCommands } from './commands/app.js';
import { chassisCommands } from './commands/chassis.js';
import { sensorEventCommands } from './commands/sensor-event.js';
import { storageCommands } from './commands/storage.js';
import { sdrRepositoryCommands } from './commands/sdr-repository.js';
import { transportCommands } from './commands/transport.js';
import { payloadCommands } from './commands/payload.js';

const families: readonly (readonly AnySpec[])[] = [appCommands, chassisCommands, sensorEventCommands, storageCommands, sdrRepositoryCommands, transportCommands, payloadCommands];

export const allCommands: readonly AnySpec[] = families.flat();

const byKey = new Map<number, AnySpec>();
for (const spec of allCommands) {
  const key = commandKey(spec.netFn, spec.cmd);
  if (byKey.has(key)) throw new Error(`duplicate command spec for netFn 0x${spec.netFn.toString(16)} cmd 0x${spec.cmd.toString(16)}`);
  byKey.set(key, spec);
}

export function findCommand(netFn: number, cmd: number): AnySpec | undefined {
  return byKey.get(commandKey(netFn & ~1, cmd));
}
