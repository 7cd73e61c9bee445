// Entry point of `npm run bench`: runs the named benchmarks (default: all) and prints tables.

import { benchLan, printLan } from './lan.js';
import { benchClient, printClient } from './client.js';

const args = process.argv.slice(2);
const secIdx = args.indexOf('--seconds');
const seconds = secIdx >= 0 ? Number(args[secIdx + 1]) : 3;
const runsIdx = args.indexOf('--runs');
const runs = runsIdx >= 0 ? Number(args[runsIdx + 1]) : 20;
const names = args.filter((a, i) => !a.startsWith('--') && args[i - 1] !== '--seconds' && args[i - 1] !== '--runs');
const want = (n: string) => names.length === 0 || names.includes(n);

console.log(`node ${process.version}, ${new Date().toISOString()}`);
if (want('lan')) printLan(await benchLan(seconds));
if (want('client')) printClient(await benchClient(runs));
