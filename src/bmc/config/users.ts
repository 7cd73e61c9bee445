// YAML section "users": the user table (IDs 1-63; 1 is the null user). Either a list of
// accounts, or a mapping that also shapes the table:
//   users:
//     slots: 63                  # user IDs the BMC has (Get User Access "maximum user IDs";
//                                #   default 16, or the highest account ID)
//     unusedPrivilege: no-access # what unused IDs report (a name, or 0-15 for BMCs that report
//                                #   a reserved value, e.g. OpenIPMI's ipmi_sim: 0)
//     accounts:
//       - { id: 2, name: admin, password: secret, privilege: administrator }
// An account may also say ipmiMessaging: false (default: true unless its privilege is no-access).

import type { UserConfig } from '../users.js';
import type { BmcConfig } from './model.js';
import { PRIVILEGES, privilegeValue } from './privileges.js';
import type { ConfigNode, ConfigSection } from './schema.js';
import { isScalar, isSeq } from 'yaml';

export const usersSection: ConfigSection = { name: 'users', parse: parseUsers };

/** A privilege name, or a raw 4-bit value (0-15) for BMCs that report reserved ones. */
function privilege(n: ConfigNode): number {
  if (isScalar(n.node) && typeof n.node.value === 'number') return n.int(0, 15);
  return privilegeValue(n.oneOf(PRIVILEGES));
}

function parseUsers(n: ConfigNode, c: BmcConfig): void {
  let accounts = n;
  let slots: number | undefined;
  if (!isSeq(n.node)) {
    const f = n.map(['slots', 'unusedPrivilege', 'accounts']);
    slots = f.get('slots')?.int(1, 63);
    const unused = f.get('unusedPrivilege');
    if (unused) c.unusedUserPrivilege = privilege(unused);
    const list = f.get('accounts');
    if (!list) throw n.error('missing field "accounts" (the list of users)');
    accounts = list;
  }
  const users: UserConfig[] = [];
  const seen = new Map<number, ConfigNode>();
  for (const item of accounts.list()) {
    const f = item.map(['id', 'name', 'password', 'privilege', 'enabled', 'ipmiMessaging']);
    const idNode = f.get('id');
    if (!idNode) throw item.error('missing field "id" (2-63; 1 is the null user)');
    const id = idNode.int(1, 63);
    if (seen.has(id)) throw idNode.error(`user ${id} is defined twice`);
    if (slots !== undefined && id > slots) throw idNode.error(`user ${id} is above slots (${slots})`);
    seen.set(id, idNode);
    const nameNode = f.get('name');
    const name = id === 1 ? '' : nameNode ? nameNode.str(16) : '';
    if (id === 1 && nameNode?.present && nameNode.str() !== '') throw nameNode.error('user 1 is the null user and has no name');
    if (nameNode && !/^[\x20-\x7e]*$/.test(name)) throw nameNode.error('expected printable ASCII');
    const pwNode = f.get('password');
    const password = pwNode ? pwNode.str(20) : '';
    const privNode = f.get('privilege');
    const user: UserConfig = { id, name, password, privilege: privNode ? privilege(privNode) : 2, enabled: f.get('enabled')?.bool() ?? true };
    const messaging = f.get('ipmiMessaging');
    if (messaging) user.ipmiMessaging = messaging.bool();
    users.push(user);
  }
  c.users = users;
  c.maxUsers = slots ?? Math.max(c.maxUsers, ...users.map((u) => u.id));
}
