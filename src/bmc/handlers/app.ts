// Handlers for the Application netFn commands that sessions, channels and users need.

import { asciiBytes, cstring } from '../../protocol/bytes.js';
import { CC } from '../../protocol/completion-codes.js';
import { AuthType, cipherSuiteById } from '../../protocol/crypto.js';
import * as app from '../../ipmi/commands/app.js';
import { fail, handle, type HandlerEntry } from '../dispatch.js';
import type { BmcCore, HandlerContext } from '../core.js';
import { saveChannelAccess } from '../state/channels.js';

const EMPTY = {} as Record<string, never>;

function authTypeMask(types: readonly number[]): number {
  let m = 0;
  for (const t of types) if (t !== AuthType.RmcpPlus) m |= 1 << t;
  return m;
}

export function authTypesForPrivilege(bmc: BmcCore, privilege: number): number[] {
  const a = bmc.config.lan.authTypes;
  const byPriv: Record<number, number[]> = { 1: a.callback, 2: a.user, 3: a.operator, 4: a.admin, 5: a.oem };
  const list = [...(byPriv[privilege] ?? [])];
  if (bmc.config.lan.anonymousLogin && !list.includes(AuthType.None)) list.push(AuthType.None);
  return list;
}

/**
 * Suites the LAN channel offers, in preference order; suite 0 only when explicitly allowed,
 * and none whose maximum privilege was set to "unused" (LAN parameter 24, `cipher_privs X`).
 */
export function offeredCipherSuites(bmc: BmcCore) {
  const lan = bmc.config.lan;
  return lan.cipherSuites
    .filter((id) => (id !== 0 || lan.allowCipherZero) && lan.cipherSuitePrivileges[id] !== 0)
    .map((id) => cipherSuiteById(id))
    .filter((s) => s !== undefined);
}

function lanChannelOnly(bmc: BmcCore, channel: number) {
  return channel === bmc.config.lan.channel ? bmc.lanChannel() : undefined;
}

export const appHandlers: HandlerEntry<HandlerContext>[] = [
  handle(app.getDeviceId, (_req, { bmc }) => {
    const id = bmc.config.identity;
    return {
      deviceId: id.deviceId,
      deviceRevision: id.deviceRevision,
      providesDeviceSdrs: id.providesDeviceSdrs,
      deviceAvailable: true,
      firmwareMajor: id.firmwareMajor,
      firmwareMinor: id.firmwareMinor,
      ipmiVersion: id.ipmiVersion,
      additionalDeviceSupport: id.additionalDeviceSupport,
      manufacturerId: id.manufacturerId,
      productId: id.productId,
      auxFirmwareRevision: id.auxFirmwareRevision ? Uint8Array.from(id.auxFirmwareRevision) : undefined,
    };
  }),

  handle(app.getSelfTestResults, () => ({ result: 0x55, detail: 0x00 })),

  handle(app.getDeviceGuid, (_req, { bmc }) => ({ guid: bmc.config.identity.deviceGuid })),
  handle(app.getSystemGuid, (_req, { bmc }) => ({ guid: bmc.config.identity.systemGuid })),

  handle(app.getBmcGlobalEnables, (_req, { bmc }) => ({ enables: bmc.globalEnables })),
  handle(app.setBmcGlobalEnables, (req, { bmc }) => {
    if (req.enables & 0x10) return fail(CC.InvalidDataField); // bit 4 is reserved
    bmc.globalEnables = req.enables;
    for (const l of bmc.attentionListeners) l();
    return EMPTY;
  }),
  handle(app.getMessageFlags, (_req, { bmc }) => ({ flags: bmc.messageFlags })),
  handle(app.clearMessageFlags, (req, { bmc }) => {
    bmc.setMessageFlags(bmc.messageFlags & ~req.flags);
    return EMPTY;
  }),

  handle(app.getChannelAuthCapabilities, (req, ctx) => {
    const { bmc } = ctx;
    const channel = bmc.resolveChannel(req.channel, ctx);
    if (!lanChannelOnly(bmc, channel)) return fail(CC.InvalidDataField);
    if (req.requestedPrivilege < 1 || req.requestedPrivilege > 5) return fail(CC.InvalidDataField);
    const lan = bmc.config.lan;
    let authStatus = 0;
    const users = bmc.users.all().filter((u) => u.enabled);
    if (users.some((u) => u.id !== 1 && u.name !== '')) authStatus |= 0x04;
    const nullUser = bmc.users.get(1);
    if (nullUser?.enabled && nullUser.password.length > 0) authStatus |= 0x02;
    if (lan.anonymousLogin && nullUser?.enabled && nullUser.password.length === 0) authStatus |= 0x01;
    // The channel's active access settings (config at start, then Set Channel Access).
    const access = bmc.lanChannel().access!.volatile;
    if (access.userLevelAuthDisabled) authStatus |= 0x08;
    if (access.perMessageAuthDisabled) authStatus |= 0x10;
    if (lan.kg && lan.kg.some((b) => b !== 0)) authStatus |= 0x20;
    return {
      channel,
      authTypeSupport: (req.extendedData ? 0x80 : 0) | authTypeMask(authTypesForPrivilege(bmc, req.requestedPrivilege)),
      authStatus,
      extendedCapabilities: req.extendedData ? 0x03 : 0x00,
      oemId: 0,
      oemAuxData: 0,
    };
  }),

  handle(app.getChannelCipherSuites, (req, ctx) => {
    const { bmc } = ctx;
    const channel = bmc.resolveChannel(req.channel, ctx);
    if (!lanChannelOnly(bmc, channel)) return fail(CC.InvalidDataField);
    if (!req.listBySuite) {
      // "List supported algorithms" form: each algorithm once, tagged.
      const suites = offeredCipherSuites(bmc);
      const algs = new Set<number>();
      for (const s of suites) {
        algs.add(s.auth);
        algs.add(0x40 | s.integrity);
        algs.add(0x80 | s.confidentiality);
      }
      const all = Uint8Array.from([...algs]);
      return { channel, data: all.subarray(req.listIndex * 16, req.listIndex * 16 + 16) };
    }
    const all = app.encodeCipherSuiteRecords(offeredCipherSuites(bmc));
    return { channel, data: all.subarray(req.listIndex * 16, req.listIndex * 16 + 16) };
  }),

  handle(app.setSessionPrivilegeLevel, (req, { bmc, session }) => {
    if (!session) return fail(CC.NotSupportedInPresentState);
    if (req.privilege === 0) return { privilege: session.privilege };
    if (req.privilege > 5) return fail(CC.InvalidDataField);
    if (req.privilege === 1 && session.maxPrivilege > 1) return fail(0x80);
    const limit = Math.min(session.maxPrivilege, bmc.userChannelLimit(session.userId, session.channel) || session.maxPrivilege);
    if (req.privilege > limit) return fail(0x81);
    session.privilege = req.privilege;
    return { privilege: req.privilege };
  }),

  handle(app.closeSession, (req, { bmc, session }) => {
    let target = req.sessionId !== 0 ? bmc.sessions.get(req.sessionId) : req.sessionHandle !== undefined ? bmc.sessions.byHandle(req.sessionHandle) : undefined;
    if (req.sessionId === 0 && req.sessionHandle === undefined) target = session;
    if (!target || target.state !== 'active') return fail(req.sessionId !== 0 ? 0x87 : 0x88);
    // Closing another user's session needs ADMINISTRATOR (§22.19).
    if (target !== session && session && session.privilege < 4) return fail(CC.InsufficientPrivilege);
    // Our own session must outlive this reply (it is sent with the session's keys).
    if (target === session) target.closeAfterReply = true;
    else bmc.sessions.close(target.id, 'closed');
    return EMPTY;
  }),

  handle(app.getSessionInfo, (req, { bmc, session }) => {
    const slots = bmc.sessions.slotCount;
    const active = bmc.sessions.active();
    let s;
    switch (req.kind) {
      case 'current':
        s = session;
        if (!s) return fail(CC.NotPresent);
        break;
      case 'index':
        if (req.index > slots) return fail(CC.InvalidDataField);
        s = active[req.index - 1];
        break;
      case 'handle':
        s = bmc.sessions.byHandle(req.handle);
        if (!s) return fail(CC.InvalidDataField);
        break;
      case 'id':
        s = bmc.sessions.get(req.sessionId);
        if (!s) return fail(CC.InvalidDataField);
        break;
    }
    if (!s || s.state !== 'active') return { sessionHandle: 0, sessionSlotCount: slots, activeSessionCount: active.length };
    return {
      sessionHandle: s.handle,
      sessionSlotCount: slots,
      activeSessionCount: active.length,
      session: {
        userId: s.userId,
        privilege: s.privilege,
        sessionType: s.version === '2.0' ? 1 : 0,
        channel: s.channel,
        remoteIp: s.remote.family === 'IPv4' ? s.remote.address : '0.0.0.0',
        remoteMac: new Uint8Array(6),
        remotePort: s.remote.port,
      },
    };
  }),

  handle(app.getChannelInfo, (req, ctx) => {
    const { bmc } = ctx;
    const channel = bmc.resolveChannel(req.channel, ctx);
    const ch = bmc.channels.get(channel);
    // Unimplemented channels are "not present" (0xCB), as OpenIPMI answers; FreeIPMI's
    // bmc-info mis-displays the channel list when they are 0xCC instead.
    if (!ch) return fail(CC.NotPresent);
    const isSystem = channel === 15;
    return {
      channel,
      medium: ch.medium,
      protocol: ch.protocol,
      sessionSupport: ch.sessionSupport,
      activeSessionCount: ch.sessionSupport ? bmc.sessions.active().filter((s) => s.channel === channel).length : 0,
      vendorId: 0x001bf2, // IPMI Forum IANA: the protocol is the standard one
      // System interface: SMS and event message buffer interrupt (aux bytes: IRQ numbers).
      auxInfo: isSystem ? Uint8Array.of(0x00, 0x00) : Uint8Array.of(0x00, 0x00),
    };
  }),

  handle(app.getChannelAccess, (req, ctx) => {
    const { bmc } = ctx;
    const channel = bmc.resolveChannel(req.channel, ctx);
    const ch = bmc.channels.get(channel);
    if (!ch) return fail(CC.InvalidDataField);
    if (!ch.access) return fail(0x82);
    return { ...(req.volatile ? ch.access.volatile : ch.access.nonVolatile) };
  }),

  handle(app.setChannelAccess, (req, ctx) => {
    const { bmc } = ctx;
    const channel = bmc.resolveChannel(req.channel, ctx);
    const ch = bmc.channels.get(channel);
    if (!ch) return fail(CC.InvalidDataField);
    if (!ch.access) return fail(0x82);
    if (req.accessSet === 3 || req.privilegeSet === 3) return fail(CC.InvalidDataField);
    if (req.privilegeSet !== 0 && (req.privilegeLimit < 1 || req.privilegeLimit > 5)) return fail(CC.InvalidDataField);
    const access = ch.access;
    const before = { volatile: { ...access.volatile }, nonVolatile: { ...access.nonVolatile } };
    const targets = (set: number) => (set === 1 ? [access.nonVolatile] : set === 2 ? [access.volatile] : []);
    for (const a of targets(req.accessSet)) Object.assign(a, req.access);
    for (const a of targets(req.privilegeSet)) a.privilegeLimit = req.privilegeLimit;
    // Non-volatile settings are what the BMC starts with: save them before answering.
    if (req.accessSet === 1 || req.privilegeSet === 1) {
      try {
        saveChannelAccess(bmc);
      } catch (e) {
        ch.access = before;
        throw e;
      }
    }
    return EMPTY;
  }),

  handle(app.getUserAccess, (req, ctx) => {
    const { bmc } = ctx;
    const channel = bmc.resolveChannel(req.channel, ctx);
    const ch = bmc.channels.get(channel);
    const u = bmc.users.get(req.userId);
    if (!ch?.access || !u) return fail(CC.InvalidDataField);
    const a = bmc.users.access(u, channel);
    return {
      maxUserIds: bmc.users.maxUsers,
      enableStatus: u.enabled ? 1 : 2,
      enabledUserCount: bmc.users.enabledCount(),
      fixedNameCount: 1,
      callbackOnly: a.callbackOnly,
      linkAuthEnabled: a.linkAuth,
      ipmiMessagingEnabled: a.ipmiMessaging,
      privilegeLimit: a.privilegeLimit,
    };
  }),

  handle(app.setUserAccess, (req, ctx) => {
    const { bmc } = ctx;
    const channel = bmc.resolveChannel(req.channel, ctx);
    const ch = bmc.channels.get(channel);
    if (!ch?.access || !bmc.users.get(req.userId) || req.userId === 0) return fail(CC.InvalidDataField);
    const lim = req.privilegeLimit;
    if (!((lim >= 1 && lim <= 5) || lim === 0x0f)) return fail(CC.InvalidDataField);
    const change: Parameters<typeof bmc.users.setAccess>[2] = { privilegeLimit: lim };
    if (req.changeBits) {
      change.callbackOnly = req.callbackOnly;
      change.linkAuth = req.linkAuthEnabled;
      change.ipmiMessaging = req.ipmiMessagingEnabled;
    }
    if (req.sessionLimit !== undefined) change.sessionLimit = req.sessionLimit;
    bmc.users.setAccess(req.userId, channel, change);
    return EMPTY;
  }),

  handle(app.getUserName, (req, { bmc }) => {
    const u = bmc.users.get(req.userId);
    if (!u) return fail(CC.InvalidDataField);
    return { name: asciiBytes(u.id === 1 ? '' : u.name) };
  }),

  handle(app.setUserName, (req, { bmc }) => {
    // User 1 is the null user: its name is fixed (§22.28).
    if (req.userId <= 1 || !bmc.users.get(req.userId)) return fail(CC.InvalidDataField);
    const name = cstring(req.name);
    if ([...name].some((c) => c < ' ' || c > '~')) return fail(CC.InvalidDataField);
    bmc.users.setName(req.userId, name);
    return EMPTY;
  }),

  handle(app.setUserPassword, (req, { bmc }) => {
    const u = bmc.users.get(req.userId);
    if (!u) return fail(CC.InvalidDataField);
    const size = req.size20 ? 20 : 16;
    switch (req.operation) {
      case app.UserPasswordOperation.Disable:
        bmc.users.setEnabled(u.id, false);
        return EMPTY;
      case app.UserPasswordOperation.Enable:
        bmc.users.setEnabled(u.id, true);
        return EMPTY;
      case app.UserPasswordOperation.SetPassword:
        if (!req.password || req.password.length !== size) return fail(CC.RequestDataLengthInvalid);
        bmc.users.setPassword(u.id, req.password, size === 20);
        return EMPTY;
      default: {
        if (!req.password || req.password.length !== size) return fail(CC.RequestDataLengthInvalid);
        let end = req.password.indexOf(0);
        if (end < 0) end = req.password.length;
        const given = req.password.subarray(0, end);
        // A 20-byte password tested as 16 bytes is "wrong size" (§22.30).
        if (u.password20 && size === 16 && u.password.length > 16) return fail(0x81);
        const ok = given.length === u.password.length && given.every((b, i) => b === u.password[i]);
        return ok ? EMPTY : fail(0x80);
      }
    }
  }),

  handle(app.getSystemInfoParameters, (req, { bmc }) => {
    const id = bmc.config.identity;
    const revision = 0x11;
    if (req.revisionOnly) return { revision, data: new Uint8Array(0) };
    const strings: Record<number, string> = { 1: id.firmwareVersion, 2: id.systemName, 3: '', 4: id.osName };
    if (req.parameter === 0) return { revision, data: Uint8Array.of(0) };
    const s = strings[req.parameter];
    if (s === undefined) return fail(0x80);
    // Block 0 starts with encoding (0 = ASCII/Latin-1) and length; 16 bytes per block.
    const text = asciiBytes(s);
    const full = new Uint8Array(Math.max(16, Math.ceil((text.length + 2) / 16) * 16));
    full[0] = 0;
    full[1] = text.length;
    full.set(text, 2);
    const block = full.subarray(req.setSelector * 16, req.setSelector * 16 + 16);
    if (block.length === 0) return fail(CC.ParameterOutOfRange);
    const out = new Uint8Array(17);
    out[0] = req.setSelector;
    out.set(block, 1);
    return { revision, data: out };
  }),
];
