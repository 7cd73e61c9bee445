// SEL command handlers (IPMI v2.0 §31). Length and privilege are checked by the dispatch
// table; these handlers only apply the SEL's rules (reservations, record types, capacity).

import { CC } from '../../protocol/completion-codes.js';
import * as st from '../../ipmi/commands/storage.js';
import { fail, handle, type HandlerEntry } from '../dispatch.js';
import type { HandlerContext } from '../core.js';
import { isSupportedRecordType, SEL_RECORD_SIZE } from '../state/sel.js';

const EMPTY = {} as Record<string, never>;
const SEL_VERSION = 0x51;
const OPERATIONS = st.SelOperations.Delete | st.SelOperations.PartialAdd | st.SelOperations.Reserve | st.SelOperations.AllocationInfo;

export const selHandlers: HandlerEntry<HandlerContext>[] = [
  handle(st.getSelInfo, (_req, { bmc }) => {
    const sel = bmc.sel;
    return {
      version: SEL_VERSION,
      entries: sel.entries.length,
      freeBytes: sel.freeBytes,
      lastAddTime: sel.lastAddTime,
      lastEraseTime: sel.lastEraseTime,
      operations: OPERATIONS | (sel.overflow ? st.SelOperations.Overflow : 0),
    };
  }),

  handle(st.getSelAllocationInfo, (_req, { bmc }) => {
    const sel = bmc.sel;
    const units = Math.min(0xffff, sel.capacity);
    const free = Math.min(0xffff, Math.max(0, sel.capacity - sel.entries.length));
    // One allocation unit per 16-byte record: the free space is one contiguous block.
    return { allocationUnits: units, unitSize: SEL_RECORD_SIZE, freeUnits: free, largestFreeBlock: free, maxRecordSize: 1 };
  }),

  handle(st.reserveSel, (_req, { bmc }) => ({ reservationId: bmc.sel.reserve() })),

  handle(st.getSelEntry, (req, { bmc }) => {
    const sel = bmc.sel;
    // A reservation is needed to read from an offset other than 0; one given must be live.
    if ((req.reservationId !== 0 || req.offset !== 0) && !sel.isReserved(req.reservationId)) return fail(CC.ReservationCancelled);
    if (req.offset >= SEL_RECORD_SIZE) return fail(CC.InvalidDataField);
    const found = sel.find(req.recordId);
    if (!found) return fail(CC.NotPresent);
    const end = req.count === 0xff ? SEL_RECORD_SIZE : Math.min(SEL_RECORD_SIZE, req.offset + req.count);
    return { nextRecordId: found.nextId, data: found.entry.record.slice(req.offset, end) };
  }),

  handle(st.addSelEntry, (req, { bmc }) => {
    if (!isSupportedRecordType(req.record[2]!)) return fail(0x80);
    const id = bmc.sel.store(req.record);
    if (id === undefined) return fail(CC.OutOfSpace);
    return { recordId: id };
  }),

  handle(st.partialAddSelEntry, (req, { bmc }) => {
    const r = bmc.sel.partialAdd(req);
    return 'cc' in r ? fail(r.cc) : r;
  }),

  handle(st.deleteSelEntry, (req, { bmc }) => {
    if (!bmc.sel.isReserved(req.reservationId)) return fail(CC.ReservationCancelled);
    const id = bmc.sel.delete(req.recordId);
    if (id === undefined) return fail(CC.NotPresent);
    return { recordId: id };
  }),

  handle(st.clearSel, (req, { bmc }) => {
    const sel = bmc.sel;
    const isClr = req.confirm.every((b, i) => b === st.CLR[i]);
    if (req.operation === st.ClearSelOperation.GetStatus) {
      if (!sel.canQueryErase(req.reservationId)) return fail(CC.ReservationCancelled);
      if (!isClr) return fail(CC.InvalidDataField);
      return { progress: st.EraseProgress.Completed };
    }
    if (!sel.isReserved(req.reservationId)) return fail(CC.ReservationCancelled);
    if (!isClr || req.operation !== st.ClearSelOperation.InitiateErase) return fail(CC.InvalidDataField);
    sel.clear(req.reservationId);
    bmc.log.info('SEL cleared');
    return { progress: st.EraseProgress.Completed };
  }),

  handle(st.getSelTime, (_req, { bmc }) => ({ time: bmc.selTime() })),

  handle(st.setSelTime, (req, { bmc }) => {
    bmc.sel.setTime(req.time);
    return EMPTY;
  }),

  handle(st.getSelTimeUtcOffset, (_req, { bmc }) => ({ minutes: bmc.sel.utcOffset })),

  handle(st.setSelTimeUtcOffset, (req, { bmc }) => {
    if (req.minutes !== st.UTC_OFFSET_UNSPECIFIED && (req.minutes < -1440 || req.minutes > 1440)) return fail(CC.ParameterOutOfRange);
    bmc.sel.setUtcOffset(req.minutes);
    return EMPTY;
  }),
];
