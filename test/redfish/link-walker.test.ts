// Issue 13, must-show 3 (in place of the DMTF Redfish Service Validator, which Debian does not
// package): walk every @odata.id from the service root and check each document against the DMTF
// JSON schema of the type it claims (vendored in test/fixtures/redfish-schemas: required
// properties, types, enumerations, no property the type lacks), with no dangling link. Before
// the walk the service gets a SEL entry, a task, a session and an open SSE stream, so that those
// types are walked too; the SSE event for the SEL entry and an error body are checked as well.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:https';
import type { IncomingMessage } from 'node:http';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { havePeer, requirePeers } from '../helpers/peers.js';
import { ipmitoolFor } from '../helpers/ipmitool.js';
import { SchemaSet } from '../helpers/json-schema.js';
import { http, startRedfishServe, type RedfishServe } from '../helpers/redfish.js';

const AUTH = 'admin:password';
let bmc: RedfishServe | undefined;
const lan = ipmitoolFor(() => bmc!);
const schemas = new SchemaSet();
let sse: { res: IncomingMessage; data: () => string } | undefined;

function openSse(): Promise<{ res: IncomingMessage; data: () => string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: bmc!.redfishPort, path: '/redfish/v1/EventService/SSE', ca: bmc!.ca, servername: 'localhost', agent: false, headers: { Authorization: `Basic ${Buffer.from(AUTH).toString('base64')}` } },
      (res) => {
        let data = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (data += d));
        resolve({ res, data: () => data });
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe('link walker: every document from the service root against its DMTF schema', () => {
  before(async () => {
    if (havePeer('ipmitool') || process.env.CI === 'true') bmc = await startRedfishServe();
  });
  after(async () => {
    sse?.res.destroy();
    await bmc?.stop();
  });

  test('walk, check, no dangling links', async (t) => {
    if (!requirePeers(t, 'ipmitool')) return;
    sse = await openSse();
    assert.equal(sse.res.statusCode, 200);
    assert.match(String(sse.res.headers['content-type']), /^text\/event-stream/);
    const login = await http(bmc!, '/redfish/v1/SessionService/Sessions', { method: 'POST', body: { UserName: 'operator', Password: 'operator' } });
    assert.equal(login.status, 201, login.text);
    const file = join(bmc!.stateDir, 'sel-add.txt');
    // A threshold event (temperature 0x01, upper critical going high) and a discrete one.
    writeFileSync(file, '0x04 0x01 0x01 0x01 0x59 0x5c 0x5a\n0x04 0x05 0x33 0x6f 0x00 0xff 0xff\n');
    await lan.ok('sel', 'add', file);
    const reset = await http(bmc!, '/redfish/v1/Systems/system/Actions/ComputerSystem.Reset', { method: 'POST', auth: AUTH, body: { ResetType: 'GracefulRestart' } });
    assert.equal(reset.status, 202, reset.text);

    const seen = new Map<string, any>();
    const queue = ['/redfish/v1'];
    const fragments: Array<[string, string]> = [];
    const problems: string[] = [];
    const types = new Set<string>();
    while (queue.length > 0) {
      const uri = queue.shift()!;
      if (seen.has(uri)) continue;
      const r = await http(bmc!, uri, { auth: AUTH });
      if (r.status !== 200) {
        problems.push(`${uri}: GET answered ${r.status} (dangling link)`);
        seen.set(uri, null);
        continue;
      }
      const doc = r.json();
      seen.set(uri, doc);
      if (!r.headers.etag) problems.push(`${uri}: no ETag`);
      if (doc['@odata.id'] !== uri) problems.push(`${uri}: @odata.id is ${doc['@odata.id']}`);
      const s = schemas.forType(doc['@odata.type']);
      if (!s) problems.push(`${uri}: type ${doc['@odata.type']} has no vendored schema`);
      else {
        types.add(doc['@odata.type']);
        problems.push(...schemas.check(doc, s.schema, s.file, uri));
      }
      for (const id of links(doc)) {
        const [base, frag] = id.split('#');
        if (frag !== undefined) fragments.push([base!, frag]);
        if (!seen.has(base!)) queue.push(base!);
      }
    }
    // "<resource>#/Temperatures/0": the pointer must land on an object with that @odata.id.
    for (const [base, frag] of fragments) {
      let node = seen.get(base);
      for (const part of frag.split('/').filter(Boolean)) node = node?.[part];
      if (node?.['@odata.id'] !== `${base}#${frag}`) problems.push(`${base}#${frag}: no such member`);
    }
    t.diagnostic(`${seen.size} documents, ${types.size} types; refs not followed (not vendored): ${schemas.unresolved.size} files`);
    assert.deepEqual(problems, []);
    for (const type of [
      '#ServiceRoot.v1_20_0.ServiceRoot', '#ComputerSystem.v1_27_0.ComputerSystem', '#Chassis.v1_28_0.Chassis', '#Thermal.v1_7_3.Thermal',
      '#Power.v1_7_3.Power', '#Manager.v1_24_0.Manager', '#ManagerNetworkProtocol.v1_12_0.ManagerNetworkProtocol', '#AccountService.v1_18_1.AccountService',
      '#ManagerAccount.v1_14_1.ManagerAccount', '#Role.v1_3_3.Role', '#SessionService.v1_2_0.SessionService', '#Session.v1_8_0.Session',
      '#LogService.v1_9_0.LogService', '#LogEntry.v1_21_0.LogEntry', '#TaskService.v1_3_0.TaskService', '#Task.v1_7_4.Task',
      '#EventService.v1_12_0.EventService', '#EventDestination.v1_16_0.EventDestination',
    ]) {
      assert.ok(types.has(type), `the walk reached a ${type}`);
    }
    assert.ok(!seen.has('/redfish/v1/UpdateService'), 'no UpdateService');
    assert.equal((await http(bmc!, '/redfish/v1/UpdateService', { auth: AUTH })).status, 404);

    // The events the SEL entries produced, as the Event schema describes them.
    const deadline = Date.now() + 5000;
    while ((sse.data().match(/^data: /gm) ?? []).length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const events = [...sse.data().matchAll(/^data: (.*)$/gm)].map((m) => JSON.parse(m[1]!));
    assert.equal(events.length, 2, sse.data());
    const eventSchema = schemas.forType('#Event.v1_13_0.Event')!;
    for (const e of events) assert.deepEqual(schemas.check(e, eventSchema.schema, eventSchema.file), []);
    const entry = events[0].Events[0].LogEntry['@odata.id'];
    assert.equal(seen.get(entry)?.EntryCode, 'Upper Critical - going high');
    assert.equal(seen.get(entry)?.Severity, 'Critical');
    assert.equal(events[0].Events[0].MessageSeverity, 'Critical');

    // Error bodies are redfish-error documents.
    const err = (await http(bmc!, '/redfish/v1/Nowhere', { auth: AUTH })).json();
    assert.deepEqual(schemas.check(err, { $ref: 'redfish-error.v1_0_2.json#/definitions/RedfishError' }, 'redfish-error.v1_0_2.json'), []);
  });
});

/** Every @odata.id in a document except its own. */
function links(doc: unknown, top = true): string[] {
  const out: string[] = [];
  if (Array.isArray(doc)) for (const x of doc) out.push(...links(x, false));
  else if (doc && typeof doc === 'object') {
    for (const [k, v] of Object.entries(doc)) {
      if (k === '@odata.id' && typeof v === 'string') {
        if (!top) out.push(v);
      } else out.push(...links(v, false));
    }
  }
  return out;
}
