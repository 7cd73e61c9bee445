// OData plumbing shared by the resources: URIs, links, collections, ETags, timestamps.

import { createHash } from 'node:crypto';
import type { Doc } from './routes.js';

export const ROOT = '/redfish/v1';
export const SYSTEM_ID = 'system';
export const CHASSIS_ID = 'chassis';
export const MANAGER_ID = 'bmc';

export const SYSTEM_URI = `${ROOT}/Systems/${SYSTEM_ID}`;
export const CHASSIS_URI = `${ROOT}/Chassis/${CHASSIS_ID}`;
export const MANAGER_URI = `${ROOT}/Managers/${MANAGER_ID}`;
export const SEL_URI = `${SYSTEM_URI}/LogServices/SEL`;
export const ACCOUNTS_URI = `${ROOT}/AccountService/Accounts`;
export const ROLES_URI = `${ROOT}/AccountService/Roles`;
export const SESSIONS_URI = `${ROOT}/SessionService/Sessions`;
export const TASKS_URI = `${ROOT}/TaskService/Tasks`;
export const SUBSCRIPTIONS_URI = `${ROOT}/EventService/Subscriptions`;
export const SSE_URI = `${ROOT}/EventService/SSE`;

export const link = (uri: string): { '@odata.id': string } => ({ '@odata.id': uri });

/** A resource's @odata.id and @odata.type, e.g. type "ComputerSystem.v1_27_0.ComputerSystem". */
export function resource(uri: string, type: string, id: string, name: string, rest: Doc = {}): Doc {
  return { '@odata.id': uri, '@odata.type': `#${type}`, Id: id, Name: name, ...rest };
}

/** A resource collection ("ComputerSystemCollection") of member URIs. */
export function collection(uri: string, type: string, name: string, members: readonly string[], rest: Doc = {}): Doc {
  return {
    '@odata.id': uri,
    '@odata.type': `#${type}.${type}`,
    Name: name,
    Members: members.map(link),
    'Members@odata.count': members.length,
    ...rest,
  };
}

/** A strong ETag over the representation: it changes whenever the document does. */
export function etagOf(doc: unknown): string {
  return `"${createHash('sha256').update(JSON.stringify(doc)).digest('base64url').slice(0, 22)}"`;
}

/** ISO 8601 with an explicit offset, as Redfish's date-time properties want it. */
export function isoTime(ms: number, offsetMinutes = 0): string {
  const t = new Date(ms + offsetMinutes * 60_000).toISOString().replace(/\.\d{3}Z$/, '');
  return `${t}${offsetText(offsetMinutes)}`;
}

export function offsetText(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const m = Math.abs(minutes);
  return `${sign}${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
}

/** A GUID stored in IPMI wire order (reversed RFC 4122 bytes) as RFC 4122 text. */
export function uuidText(wire: Uint8Array): string {
  const h = Buffer.from(wire).reverse().toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
