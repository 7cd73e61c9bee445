// Issue 13, must-show 5 and the protocol around it: authentication (wrong password → 401,
// sessions and logout), privileges (a ReadOnly user's reset → 403), Redfish error replies
// (400 naming the property, 404, 405 with Allow, 409, 412, 413, 501), and 1,000 malformed
// requests of every kind after which the server answers Redfish and IPMI as before.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect as tlsConnect } from 'node:tls';
import { connect as netConnect } from 'node:net';
import { requirePeers } from '../helpers/peers.js';
import { ipmitoolFor } from '../helpers/ipmitool.js';
import { http, startRedfishServe, type HttpReply, type RedfishServe } from '../helpers/redfish.js';

const ADMIN = 'admin:password';
const SYSTEM = '/redfish/v1/Systems/system';
const RESET = `${SYSTEM}/Actions/ComputerSystem.Reset`;
let bmc: RedfishServe | undefined;
const lan = ipmitoolFor(() => bmc!);

function redfishError(r: HttpReply, status: number, messageId: string, args?: string[]): any {
  assert.equal(r.status, status, r.text);
  const e = r.json().error;
  assert.equal(e.code, `Base.1.22.${messageId}`, r.text);
  const info = e['@Message.ExtendedInfo'][0];
  assert.equal(info.MessageId, `Base.1.22.${messageId}`);
  if (args) assert.deepEqual(info.MessageArgs, args);
  return info;
}

describe('Redfish protocol: authentication, privileges, errors, malformed input', () => {
  before(async () => {
    bmc = await startRedfishServe();
  });
  after(async () => {
    await bmc?.stop();
  });

  test('wrong password, no credentials, a bad token: 401 with a Basic challenge', async () => {
    assert.ok(bmc);
    const wrong = await http(bmc, SYSTEM, { auth: 'admin:wrong' });
    redfishError(wrong, 401, 'NoValidSession');
    assert.match(String(wrong.headers['www-authenticate']), /^Basic realm=/);
    redfishError(await http(bmc, SYSTEM), 401, 'NoValidSession');
    redfishError(await http(bmc, SYSTEM, { token: 'not-a-session' }), 401, 'NoValidSession');
    redfishError(await http(bmc, '/redfish/v1/SessionService/Sessions', { method: 'POST', body: { UserName: 'admin', Password: 'nope' } }), 401, 'NoValidSession');
    // The service root is open, as DSP0266 requires.
    assert.equal((await http(bmc, '/redfish/v1/')).status, 200);
    assert.match(bmc.logs(), /WARN {2}Redfish authentication rejected user=admin/);
    assert.doesNotMatch(bmc.logs(), /wrong|nope/, 'no password in the log');
  });

  test('sessions: login, the token works, logout ends it', async () => {
    assert.ok(bmc);
    const login = await http(bmc, '/redfish/v1/SessionService/Sessions', { method: 'POST', body: { UserName: 'operator', Password: 'operator' } });
    assert.equal(login.status, 201, login.text);
    const token = String(login.headers['x-auth-token']);
    const location = String(login.headers.location);
    assert.match(location, /^\/redfish\/v1\/SessionService\/Sessions\/\d+$/);
    assert.equal(login.json().UserName, 'operator');
    assert.equal((await http(bmc, SYSTEM, { token })).status, 200);
    // An operator sees its own session only; the administrator sees all.
    assert.deepEqual((await http(bmc, '/redfish/v1/SessionService/Sessions', { token })).json().Members, [{ '@odata.id': location }]);
    assert.equal((await http(bmc, location, { method: 'DELETE', token })).status, 204);
    redfishError(await http(bmc, SYSTEM, { token }), 401, 'NoValidSession');
  });

  test('privileges: a ReadOnly (IPMI USER) reset is 403, an Operator reset works, an Operator cannot add accounts', async (t) => {
    if (!requirePeers(t, 'ipmitool') || !bmc) return;
    redfishError(await http(bmc, RESET, { method: 'POST', auth: 'user:user', body: { ResetType: 'ForceOff' } }), 403, 'InsufficientPrivilege');
    assert.equal(await lan.ok('power', 'status'), 'Chassis Power is on\n', 'nothing happened');
    redfishError(await http(bmc, SYSTEM, { method: 'PATCH', auth: 'user:user', body: { Boot: { BootSourceOverrideTarget: 'Pxe' } } }), 403, 'InsufficientPrivilege');
    assert.equal((await http(bmc, SYSTEM, { auth: 'user:user' })).json().PowerState, 'On', 'but it may read');
    assert.equal((await http(bmc, RESET, { method: 'POST', auth: 'operator:operator', body: { ResetType: 'ForceOff' } })).status, 204);
    assert.equal(await lan.ok('power', 'status'), 'Chassis Power is off\n');
    // PowerCycle of a system that is off: IPMI's "not in present state".
    redfishError(await http(bmc, RESET, { method: 'POST', auth: ADMIN, body: { ResetType: 'PowerCycle' } }), 409, 'ResourceInStandby');
    assert.equal((await http(bmc, RESET, { method: 'POST', auth: ADMIN, body: { ResetType: 'On' } })).status, 204);
    redfishError(await http(bmc, '/redfish/v1/AccountService/Accounts', { method: 'POST', auth: 'operator:operator', body: { UserName: 'x', Password: 'y', RoleId: 'ReadOnly' } }), 403, 'InsufficientPrivilege');
    const accounts = (await http(bmc, '/redfish/v1/AccountService/Accounts', { auth: ADMIN })).json().Members.length;
    assert.equal(accounts, 3, 'no account was added');
  });

  test('bad bodies: malformed JSON, unknown and read-only properties, bad values are 400 naming the property', async () => {
    assert.ok(bmc);
    redfishError(await http(bmc, SYSTEM, { method: 'PATCH', auth: ADMIN, raw: '{"Boot": ', headers: { 'Content-Type': 'application/json' } }), 400, 'MalformedJSON');
    const unknown = redfishError(await http(bmc, SYSTEM, { method: 'PATCH', auth: ADMIN, body: { Boot: { BootSourceOverrideTarget: 'Pxe', Colour: 'red' } } }), 400, 'PropertyUnknown', ['Colour']);
    assert.deepEqual(unknown.RelatedProperties, ['#/Boot/Colour']);
    assert.equal((await http(bmc, SYSTEM, { auth: ADMIN })).json().Boot.BootSourceOverrideTarget, 'None', 'a rejected PATCH changes nothing');
    redfishError(await http(bmc, SYSTEM, { method: 'PATCH', auth: ADMIN, body: { PowerState: 'Off' } }), 400, 'PropertyNotWritable', ['PowerState']);
    redfishError(await http(bmc, SYSTEM, { method: 'PATCH', auth: ADMIN, body: { Boot: { BootSourceOverrideTarget: 'Usb' } } }), 400, 'PropertyValueNotInList', ['Usb', 'BootSourceOverrideTarget']);
    redfishError(await http(bmc, SYSTEM, { method: 'PATCH', auth: ADMIN, body: { Boot: 'Pxe' } }), 400, 'PropertyValueTypeError', ['Pxe', 'Boot']);
    redfishError(await http(bmc, RESET, { method: 'POST', auth: ADMIN, body: { ResetType: 'Explode' } }), 400, 'ActionParameterValueNotInList', ['Explode', 'ResetType', 'ComputerSystem.Reset']);
    redfishError(await http(bmc, RESET, { method: 'POST', auth: ADMIN, body: { ResetType: 'On', Force: true } }), 400, 'ActionParameterUnknown', ['ComputerSystem.Reset', 'Force']);
    redfishError(await http(bmc, RESET, { method: 'POST', auth: ADMIN, body: {} }), 400, 'ActionParameterMissing', ['ComputerSystem.Reset', 'ResetType']);
    redfishError(await http(bmc, SYSTEM, { method: 'PATCH', auth: ADMIN, raw: 'x'.repeat(70_000), headers: { 'Content-Type': 'application/json' } }), 413, 'PayloadTooLarge');
  });

  test('404, 405 with Allow, 409, 412 and 501', async () => {
    assert.ok(bmc);
    redfishError(await http(bmc, '/redfish/v1/Systems/other', { auth: ADMIN }), 404, 'ResourceMissingAtURI', ['/redfish/v1/Systems/other']);
    const del = await http(bmc, SYSTEM, { method: 'DELETE', auth: ADMIN });
    redfishError(del, 405, 'OperationNotAllowed');
    assert.equal(del.headers.allow, 'GET, HEAD, PATCH');
    redfishError(await http(bmc, '/redfish/v1/AccountService/Accounts', { method: 'POST', auth: ADMIN, body: { UserName: 'operator', Password: 'x', RoleId: 'Operator' } }), 409, 'ResourceAlreadyExists', ['ManagerAccount', 'UserName', 'operator']);
    redfishError(await http(bmc, SYSTEM, { method: 'PATCH', auth: ADMIN, headers: { 'If-Match': '"stale"' }, body: { Boot: { BootSourceOverrideEnabled: 'Once' } } }), 412, 'PreconditionFailed');
    const etag = String((await http(bmc, SYSTEM, { auth: ADMIN })).headers.etag);
    const ok = await http(bmc, SYSTEM, { method: 'PATCH', auth: ADMIN, headers: { 'If-Match': etag }, body: { Boot: { BootSourceOverrideTarget: 'Cd', BootSourceOverrideEnabled: 'Once' } } });
    assert.equal(ok.status, 200, ok.text);
    assert.notEqual(ok.headers.etag, etag, 'the change changed the ETag');
    assert.equal((await http(bmc, SYSTEM, { auth: ADMIN, headers: { 'If-None-Match': String(ok.headers.etag) } })).status, 304);
    redfishError(await http(bmc, `${SYSTEM}?$expand=*`, { auth: ADMIN }), 501, 'QueryNotSupported');
  });

  test('1,000 malformed requests: the server stays up and correct', async (t) => {
    if (!requirePeers(t, 'ipmitool') || !bmc) return;
    const junk: Array<() => Promise<unknown>> = [
      () => http(bmc!, SYSTEM, { method: 'PATCH', auth: ADMIN, raw: Buffer.from([0xff, 0xfe, 0x00, 0x7b]), headers: { 'Content-Type': 'application/json' } }),
      () => http(bmc!, SYSTEM, { method: 'PATCH', auth: ADMIN, raw: '[1,2,3]', headers: { 'Content-Type': 'application/json' } }),
      () => http(bmc!, SYSTEM, { method: 'PATCH', auth: ADMIN, body: { Boot: { BootSourceOverrideTarget: { nested: [null] } } } }),
      () => http(bmc!, RESET, { method: 'POST', auth: ADMIN, raw: 'ResetType=On', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } }),
      () => http(bmc!, '/redfish/v1/%zz/../../etc/passwd', { auth: ADMIN }),
      () => http(bmc!, '/redfish/v1/Systems/system/LogServices/SEL/Entries/99999999999', { auth: ADMIN }),
      () => http(bmc!, SYSTEM, { headers: { Authorization: 'Basic !!!notbase64' } }),
      () => http(bmc!, SYSTEM, { headers: { Authorization: `Basic ${Buffer.from('no-colon').toString('base64')}` } }),
      () => http(bmc!, SYSTEM, { headers: { Authorization: 'Bearer abc' } }),
      () => http(bmc!, '/redfish/v1/SessionService/Sessions', { method: 'POST', raw: '{"UserName": 7, "Password": []}', headers: { 'Content-Type': 'application/json' } }),
      () => http(bmc!, '/redfish/v1/AccountService/Accounts', { method: 'POST', auth: ADMIN, body: { UserName: 'a'.repeat(40), Password: 'p', RoleId: 'Operator' } }),
      () => http(bmc!, SYSTEM, { method: 'PUT', auth: ADMIN, body: {} }),
      () => rawTls('GARBAGE / HTTP/9.9\r\n\r\n'),
      () => rawTls(`GET ${SYSTEM} HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n`),
      () => rawTls(`GET /${'a'.repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`),
      () => rawPlain('GET /redfish/v1 HTTP/1.1\r\nHost: x\r\n\r\n'),
      () => rawPlain('\x16\x03\x01\x00\x05hello'),
    ];
    const started = Date.now();
    let done = 0;
    for (let round = 0; done < 1000; round++) {
      // A few at once: clients do not wait for each other.
      await Promise.all(junk.slice(0, Math.min(junk.length, 1000 - done)).map((f) => f().catch(() => undefined)));
      done += Math.min(junk.length, 1000 - done);
    }
    t.diagnostic(`1000 malformed requests in ${Date.now() - started} ms`);
    assert.equal(bmc.process.exitCode, null, 'serve still runs');
    const s = await http(bmc, SYSTEM, { auth: ADMIN });
    assert.equal(s.status, 200);
    assert.equal(s.json().PowerState, 'On');
    assert.equal(await lan.ok('power', 'status'), 'Chassis Power is on\n');
    assert.doesNotMatch(bmc.logs(), /Redfish request failed/, 'no request reached a handler error');
  });
});

/** Sends bytes over TLS and waits for the server to answer or close. */
function rawTls(text: string): Promise<void> {
  return new Promise((resolve) => {
    const s = tlsConnect({ host: '127.0.0.1', port: bmc!.redfishPort, ca: bmc!.ca, servername: 'localhost' }, () => s.end(text));
    s.on('data', () => {});
    s.on('close', () => resolve());
    s.on('error', () => resolve());
    s.setTimeout(10_000, () => s.destroy());
  });
}

/** Plain TCP to the TLS port: not a handshake. */
function rawPlain(text: string): Promise<void> {
  return new Promise((resolve) => {
    const s = netConnect(bmc!.redfishPort, '127.0.0.1', () => s.end(text));
    s.on('data', () => {});
    s.on('close', () => resolve());
    s.on('error', () => resolve());
    s.setTimeout(10_000, () => s.destroy());
  });
}
