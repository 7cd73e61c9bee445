// The 1U server's sensors the sensor tests share: the embedded default's.

export { DEFAULT_SENSORS_YAML as SERVER_1U_SENSORS } from '../../src/bmc/config/default-sensors.js';
