// The entry points (DSP0266 §6): GET /redfish (protocol versions), the ServiceRoot, the OData
// service document and $metadata (CSDL naming the DMTF schemas this service uses), all readable
// without credentials. There is no UpdateService: this BMC's firmware cannot be updated, so the
// service root does not pretend it can.

import type { Doc, Route } from '../routes.js';
import { link, resource, ROOT, SESSIONS_URI, uuidText } from '../odata.js';

const ROOT_TYPE = 'ServiceRoot.v1_20_0.ServiceRoot';
/** DSP0266 version this service follows. */
export const REDFISH_VERSION = '1.20.0';

/** Top-level services and collections: name → URI (ServiceRoot links and OData singletons). */
const TOP: ReadonlyArray<[string, string]> = [
  ['Systems', `${ROOT}/Systems`],
  ['Chassis', `${ROOT}/Chassis`],
  ['Managers', `${ROOT}/Managers`],
  ['AccountService', `${ROOT}/AccountService`],
  ['SessionService', `${ROOT}/SessionService`],
  ['Tasks', `${ROOT}/TaskService`],
  ['EventService', `${ROOT}/EventService`],
];

/** CSDL namespaces ($metadata references): the unversioned one and the version in use. */
const SCHEMAS: ReadonlyArray<[string, string]> = [
  ['ServiceRoot', 'v1_20_0'], ['ComputerSystemCollection', ''], ['ComputerSystem', 'v1_27_0'], ['ChassisCollection', ''], ['Chassis', 'v1_28_0'],
  ['Thermal', 'v1_7_3'], ['Power', 'v1_7_3'], ['ManagerCollection', ''], ['Manager', 'v1_24_0'], ['ManagerNetworkProtocol', 'v1_12_0'],
  ['AccountService', 'v1_18_1'], ['ManagerAccountCollection', ''], ['ManagerAccount', 'v1_14_1'], ['RoleCollection', ''], ['Role', 'v1_3_3'],
  ['SessionService', 'v1_2_0'], ['SessionCollection', ''], ['Session', 'v1_8_0'], ['LogServiceCollection', ''], ['LogService', 'v1_9_0'],
  ['LogEntryCollection', ''], ['LogEntry', 'v1_21_0'], ['TaskService', 'v1_3_0'], ['TaskCollection', ''], ['Task', 'v1_7_4'],
  ['EventService', 'v1_12_0'], ['EventDestinationCollection', ''], ['EventDestination', 'v1_16_0'], ['Event', 'v1_13_0'], ['Message', 'v1_3_0'],
];

function metadataXml(): string {
  const refs = SCHEMAS.map(([ns, v]) => {
    const includes = [`    <edmx:Include Namespace="${ns}"/>`, ...(v ? [`    <edmx:Include Namespace="${ns}.${v}"/>`] : [])];
    return `  <edmx:Reference Uri="http://redfish.dmtf.org/schemas/v1/${ns}_v1.xml">\n${includes.join('\n')}\n  </edmx:Reference>`;
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<edmx:Edmx xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx" Version="4.0">',
    ...refs,
    '  <edmx:DataServices>',
    '    <Schema xmlns="http://docs.oasis-open.org/odata/ns/edm" Namespace="Service">',
    '      <EntityContainer Name="Service" Extends="ServiceRoot.v1_20_0.ServiceContainer"/>',
    '    </Schema>',
    '  </edmx:DataServices>',
    '</edmx:Edmx>',
    '',
  ].join('\n');
}

export const METADATA_XML = metadataXml();

export const rootRoutes: Route[] = [
  { pattern: '/redfish', public: true, get: () => ({ v1: `${ROOT}/` }) },
  {
    pattern: ROOT,
    public: true,
    get: ({ svc: { bmc } }): Doc => {
      const links = Object.fromEntries(TOP.map(([name, uri]) => [name, link(uri)]));
      return resource(ROOT, ROOT_TYPE, 'RootService', 'Root Service', {
        RedfishVersion: REDFISH_VERSION,
        UUID: uuidText(bmc.config.identity.deviceGuid),
        Product: 'ipmi-sim',
        Vendor: 'ipmi-sim',
        ProtocolFeaturesSupported: {
          ExpandQuery: { ExpandAll: false, Levels: false, Links: false, NoLinks: false },
          FilterQuery: false,
          SelectQuery: false,
          OnlyMemberQuery: false,
          ExcerptQuery: false,
        },
        ...links,
        Links: { Sessions: link(SESSIONS_URI) },
      });
    },
  },
  {
    pattern: `${ROOT}/odata`,
    public: true,
    get: () => ({
      '@odata.context': `${ROOT}/$metadata`,
      value: [{ name: 'Service', kind: 'Singleton', url: `${ROOT}/` }, ...TOP.map(([name, url]) => ({ name, kind: 'Singleton', url }))],
    }),
  },
];
