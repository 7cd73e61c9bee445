// YAML section "users": the user table (IDs 1-63; 1 is the null user).

import type { UserConfig } from '../users.js';
import type { BmcConfig } from './model.js';
import { PRIVILEGES, privilegeValue } from './privileges.js';
import type { ConfigNode, ConfigSection } from './schema.js';

export const usersSection: ConfigSection = { name: 'users', parse: parseUsers };

function parseUsers(n: ConfigNode, c: BmcConfig): void {
  const users: UserConfig[] = [];
  const seen = new Map<number, ConfigNode>();
  for (const item of n.list()) {
    const f = item.map(['id', 'name', 'password', 'privilege', 'enabled']);
    const idNode = f.get('id');
    if (!idNode) throw item.error('missing field "id" (2-63; 1 is the null user)');
    const id = idNode.int(1, 63);
    if (seen.has(id)) throw idNode.error(`user ${id} is defined twice`);
    seen.set(id, idNode);
    const nameNode = f.get('name');
    const name = id === 1 ? '' : nameNode ? nameNode.str(16) : '';
    if (id === 1 && nameNode?.present && nameNode.str() !== '') throw nameNode.error('user 1 is the null user and has no name');
    if (nameNode && !/^[\x20-\x7e]*$/.test(name)) throw nameNode.error('expected printable ASCII');
    const pwNode = f.get('password');
    const password = pwNode ? pwNode.str(20) : '';
    const privNode = f.get('privilege');
    const privilege = privNode ? privilegeValue(privNode.oneOf(PRIVILEGES)) : 2;
    const enabled = f.get('enabled')?.bool() ?? true;
    users.push({ id, name, password, privilege, enabled });
  }
  c.users = users;
  c.maxUsers = Math.max(c.maxUsers, ...users.map((u) => u.id));
}
