// The Manager is the BMC itself: its firmware and device GUID from the identity config, and
// its network protocols — IPMI over LAN (the port serve answers on) and Redfish over HTTPS.

import type { BmcCore } from '../../bmc/core.js';
import { notFound } from '../errors.js';
import { CHASSIS_URI, collection, isoTime, link, MANAGER_ID, MANAGER_URI, offsetText, resource, ROOT, SYSTEM_URI, uuidText } from '../odata.js';
import type { Doc, Route } from '../routes.js';
import type { RedfishService } from '../service.js';

const MANAGER_TYPE = 'Manager.v1_24_0.Manager';
const PROTOCOL_TYPE = 'ManagerNetworkProtocol.v1_12_0.ManagerNetworkProtocol';
const PROTOCOL_URI = `${MANAGER_URI}/NetworkProtocol`;

function managerDoc(bmc: BmcCore): Doc {
  const id = bmc.config.identity;
  return resource(MANAGER_URI, MANAGER_TYPE, MANAGER_ID, 'BMC', {
    ManagerType: 'BMC',
    FirmwareVersion: id.firmwareVersion,
    UUID: uuidText(id.deviceGuid),
    ServiceIdentification: id.systemName,
    PowerState: 'On',
    DateTime: isoTime(bmc.clock.now()),
    DateTimeLocalOffset: offsetText(0),
    Status: { State: 'Enabled', Health: 'OK' },
    NetworkProtocol: link(PROTOCOL_URI),
    Links: { ManagerForServers: [link(SYSTEM_URI)], ManagerForChassis: [link(CHASSIS_URI)] },
  });
}

function protocolDoc(svc: RedfishService): Doc {
  return resource(PROTOCOL_URI, PROTOCOL_TYPE, 'NetworkProtocol', 'Manager network protocols', {
    HostName: svc.bmc.config.identity.systemName,
    IPMI: { ProtocolEnabled: true, Port: svc.lanPort },
    HTTPS: { ProtocolEnabled: true, Port: svc.httpsPort },
    HTTP: { ProtocolEnabled: false },
    Status: { State: 'Enabled', Health: 'OK' },
  });
}

export const managerRoutes: Route[] = [
  { pattern: `${ROOT}/Managers`, get: () => collection(`${ROOT}/Managers`, 'ManagerCollection', 'Managers', [MANAGER_URI]) },
  {
    pattern: `${ROOT}/Managers/{id}`,
    get: ({ svc, params, path }) => {
      if (params.id !== MANAGER_ID) throw notFound(path);
      return managerDoc(svc.bmc);
    },
  },
  {
    pattern: `${ROOT}/Managers/{id}/NetworkProtocol`,
    get: ({ svc, params, path }) => {
      if (params.id !== MANAGER_ID) throw notFound(path);
      return protocolDoc(svc);
    },
  },
];
