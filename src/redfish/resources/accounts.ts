// AccountService: the accounts are the BMC's IPMI users (the same table Set User Name/Password/
// Access change, persisted the same way). An account's RoleId is its privilege limit on the LAN
// channel (auth.ts); creating an account fills the first empty user slot, so the new user can
// log in over IPMI at once with the same name and password. Deleting an account empties its slot.

import type { BmcCore } from '../../bmc/core.js';
import { asciiBytes } from '../../protocol/bytes.js';
import { defaultAccess, NO_ACCESS, type User } from '../../bmc/users.js';
import { requirePrivilege, ROLE_IDS, ROLE_IPMI_PRIVILEGE, ROLE_PRIVILEGES, roleOf, type RoleId } from '../auth.js';
import { checkProperties, isObject, type ObjectSchema } from '../body.js';
import { notFound, RedfishError } from '../errors.js';
import { ACCOUNTS_URI, collection, link, resource, ROLES_URI, ROOT } from '../odata.js';
import type { Ctx, Doc, Route } from '../routes.js';

const SERVICE_TYPE = 'AccountService.v1_18_1.AccountService';
const ACCOUNT_TYPE = 'ManagerAccount.v1_14_1.ManagerAccount';
const ROLE_TYPE = 'Role.v1_3_3.Role';
/** IPMI user names are up to 16 bytes, passwords up to 20 (Set User Name / Set User Password). */
const USERNAME = { type: 'string', pattern: /^[\x21-\x7e]{1,16}$/ } as const;
const PASSWORD = { type: 'string', pattern: /^[\x20-\x7e]{1,20}$/ } as const;
const ROLE = { type: 'string', enum: ROLE_IDS } as const;

const CREATE_SCHEMA: ObjectSchema = {
  type: 'object',
  properties: { UserName: USERNAME, Password: PASSWORD, RoleId: ROLE, Enabled: { type: 'boolean' } },
  required: ['UserName', 'Password', 'RoleId'],
};
const PATCH_SCHEMA: ObjectSchema = { type: 'object', properties: { UserName: USERNAME, Password: PASSWORD, RoleId: ROLE, Enabled: { type: 'boolean' } } };

const accountUri = (id: number): string => `${ACCOUNTS_URI}/${id}`;

/** Named users other than the null user (ID 1) are accounts. */
function accounts(bmc: BmcCore): User[] {
  return bmc.users.all().filter((u) => u.id !== 1 && u.name !== '');
}

function account(c: Pick<Ctx, 'svc' | 'params' | 'path'>): User {
  const raw = c.params.id ?? '';
  const u = /^\d{1,2}$/.test(raw) ? accounts(c.svc.bmc).find((x) => x.id === Number(raw)) : undefined;
  if (!u) throw notFound(c.path);
  return u;
}

function accountDoc(bmc: BmcCore, u: User): Doc {
  const role = roleOf(bmc, u);
  return resource(accountUri(u.id), ACCOUNT_TYPE, String(u.id), 'User account', {
    UserName: u.name,
    Password: null,
    RoleId: role,
    Enabled: u.enabled,
    Locked: false,
    AccountTypes: ['Redfish', 'IPMI'],
    Links: { Role: link(`${ROLES_URI}/${role}`) },
  });
}

function setRole(bmc: BmcCore, id: number, role: RoleId): void {
  const privilege = ROLE_IPMI_PRIVILEGE[role];
  bmc.users.setAccess(id, bmc.config.lan.channel, { privilegeLimit: privilege, ipmiMessaging: privilege !== NO_ACCESS });
}

function nameTaken(bmc: BmcCore, name: string, except?: number): boolean {
  return accounts(bmc).some((u) => u.name === name && u.id !== except);
}

function setPassword(bmc: BmcCore, id: number, password: string): void {
  bmc.users.setPassword(id, asciiBytes(password), password.length > 16);
}

export const accountRoutes: Route[] = [
  {
    pattern: `${ROOT}/AccountService`,
    get: ({ svc: { bmc } }) =>
      resource(`${ROOT}/AccountService`, SERVICE_TYPE, 'AccountService', 'Account service', {
        ServiceEnabled: true,
        LocalAccountAuth: 'Enabled',
        MinPasswordLength: 1,
        MaxPasswordLength: 20,
        AccountLockoutThreshold: 0,
        Accounts: link(ACCOUNTS_URI),
        Roles: link(ROLES_URI),
        Status: { State: 'Enabled', Health: accounts(bmc).length > 0 ? 'OK' : 'Warning' },
      }),
  },
  {
    pattern: ACCOUNTS_URI,
    get: ({ svc: { bmc } }) => collection(ACCOUNTS_URI, 'ManagerAccountCollection', 'Accounts', accounts(bmc).map((u) => accountUri(u.id))),
    post: (c, body) => {
      requirePrivilege(c.principal, 'ConfigureUsers');
      const b = checkProperties(body, CREATE_SCHEMA);
      const bmc = c.svc.bmc;
      const name = b.UserName as string;
      if (nameTaken(bmc, name)) throw new RedfishError(409, 'ResourceAlreadyExists', ['ManagerAccount', 'UserName', name], { related: ['#/UserName'] });
      const slot = bmc.users.all().find((u) => u.id !== 1 && u.name === '');
      if (!slot) throw new RedfishError(400, 'CreateLimitReachedForResource');
      const role = b.RoleId as RoleId;
      bmc.users.setName(slot.id, name);
      setPassword(bmc, slot.id, b.Password as string);
      bmc.users.setAccess(slot.id, bmc.config.lan.channel, defaultAccess(ROLE_IPMI_PRIVILEGE[role]));
      bmc.users.setEnabled(slot.id, (b.Enabled as boolean | undefined) ?? true);
      bmc.log.info('Redfish account created', { user: name, id: slot.id, role, by: c.principal.username });
      const u = bmc.users.get(slot.id)!;
      return { status: 201, body: accountDoc(bmc, u), headers: { Location: accountUri(u.id) } };
    },
  },
  {
    pattern: `${ACCOUNTS_URI}/{id}`,
    get: (c) => accountDoc(c.svc.bmc, account(c)),
    patch: (c, body, current) => {
      const u = account(c);
      const bmc = c.svc.bmc;
      // A user may change their own password (ConfigureSelf); anything else needs ConfigureUsers.
      const own = u.id === c.principal.userId;
      const onlyPassword = isObject(body) && Object.keys(body).every((k) => k === 'Password' || k.startsWith('@odata.'));
      requirePrivilege(c.principal, own && onlyPassword ? 'ConfigureSelf' : 'ConfigureUsers');
      const b = checkProperties(body, PATCH_SCHEMA, current);
      if (typeof b.UserName === 'string' && b.UserName !== u.name) {
        if (nameTaken(bmc, b.UserName, u.id)) throw new RedfishError(409, 'ResourceAlreadyExists', ['ManagerAccount', 'UserName', b.UserName], { related: ['#/UserName'] });
        bmc.users.setName(u.id, b.UserName);
      }
      if (typeof b.Password === 'string') setPassword(bmc, u.id, b.Password);
      if (typeof b.RoleId === 'string') setRole(bmc, u.id, b.RoleId as RoleId);
      if (typeof b.Enabled === 'boolean') bmc.users.setEnabled(u.id, b.Enabled);
      // Sessions opened under the old credentials or role end, as the user's IPMI sessions would on re-login.
      if (b.UserName !== undefined || b.RoleId !== undefined || b.Enabled === false) c.svc.sessions.closeUser(u.id, 'account changed');
      bmc.log.info('Redfish account changed', { user: u.name, id: u.id, fields: Object.keys(b).join(','), by: c.principal.username });
    },
    delete: (c) => {
      requirePrivilege(c.principal, 'ConfigureUsers');
      const u = account(c);
      const bmc = c.svc.bmc;
      bmc.users.setEnabled(u.id, false);
      bmc.users.setAccess(u.id, bmc.config.lan.channel, { ...defaultAccess(NO_ACCESS), ipmiMessaging: false });
      bmc.users.setPassword(u.id, new Uint8Array(0), false);
      bmc.users.setName(u.id, '');
      c.svc.sessions.closeUser(u.id, 'account deleted');
      bmc.log.info('Redfish account deleted', { user: u.name, id: u.id, by: c.principal.username });
      return { status: 204 };
    },
  },
  { pattern: ROLES_URI, get: () => collection(ROLES_URI, 'RoleCollection', 'Roles', ROLE_IDS.map((r) => `${ROLES_URI}/${r}`)) },
  {
    pattern: `${ROLES_URI}/{role}`,
    get: ({ params, path }) => {
      const role = ROLE_IDS.find((r) => r === params.role);
      if (!role) throw notFound(path);
      return resource(`${ROLES_URI}/${role}`, ROLE_TYPE, role, `${role} role`, { RoleId: role, IsPredefined: true, AssignedPrivileges: [...ROLE_PRIVILEGES[role]] });
    },
  },
];

