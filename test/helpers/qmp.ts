// Tests talk QMP with the production client (src/qemu/qmp.ts).
export { QmpClient, QmpError } from '../../src/qemu/qmp.js';
