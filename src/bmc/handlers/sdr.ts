// Handlers for the SDR repository commands of the Storage netFn (0x0A, IPMI v2.0 §33).

import { CC } from '../../protocol/completion-codes.js';
import * as sdr from '../../ipmi/commands/sdr-repository.js';
import { Completion, fail, handle, type HandlerEntry } from '../dispatch.js';
import type { BmcCore, HandlerContext } from '../core.js';
import { ALLOCATION_UNIT, MAX_RECORD, type Result } from '../state/sdr.js';

const EMPTY = {} as Record<string, never>;

function unwrap<T>(r: Result<T>): T | Completion {
  return 'cc' in r ? fail(r.cc) : r.value;
}

export function getSdrResult(bmc: BmcCore, req: sdr.GetSdrRequest): sdr.GetSdrResponse | Completion {
  return unwrap(bmc.sdr.read(req));
}

export function reserveSdr(bmc: BmcCore): { reservationId: number } {
  return { reservationId: bmc.sdr.reserve() };
}

const units = (bytes: number) => Math.ceil(bytes / ALLOCATION_UNIT);

export const sdrHandlers: HandlerEntry<HandlerContext>[] = [
  handle(sdr.getSdrRepositoryInfo, (_req, { bmc }) => {
    const repo = bmc.sdr;
    const O = sdr.SdrOperations;
    return {
      version: 0x51,
      recordCount: repo.records.length,
      freeSpace: Math.min(0xfffe, repo.freeBytes),
      lastAddTime: repo.lastAddTime,
      lastEraseTime: repo.lastEraseTime,
      operations: O.NonModalUpdate | O.Delete | O.PartialAdd | O.Reserve | O.AllocationInfo,
    };
  }),

  handle(sdr.getSdrRepositoryAllocationInfo, (_req, { bmc }) => {
    const repo = bmc.sdr;
    const total = Math.floor(repo.config.capacity / ALLOCATION_UNIT);
    const used = repo.records.reduce((n, r) => n + units(r.length), 0);
    const free = Math.max(0, total - used);
    return { allocationUnits: total, unitSize: ALLOCATION_UNIT, freeUnits: free, largestFreeBlock: free, maxRecordSize: units(MAX_RECORD) };
  }),

  handle(sdr.reserveSdrRepository, (_req, { bmc }) => reserveSdr(bmc)),
  handle(sdr.getSdr, (req, { bmc }) => getSdrResult(bmc, req)),
  handle(sdr.addSdr, (req, { bmc }) => unwrap(bmc.sdr.add(req.record))),
  handle(sdr.partialAddSdr, (req, { bmc }) => unwrap(bmc.sdr.partialAdd(req))),
  handle(sdr.deleteSdr, (req, { bmc }) => unwrap(bmc.sdr.delete(req.reservationId, req.recordId))),

  handle(sdr.clearSdrRepository, (req, { bmc }) => {
    if (!bmc.sdr.reservationValid(req.reservationId)) return fail(CC.ReservationCancelled);
    if (!sdr.CLR.every((b, i) => req.clr[i] === b)) return fail(CC.InvalidDataField);
    if (req.op === sdr.ClearOp.Initiate) bmc.sdr.clear();
    else if (req.op !== sdr.ClearOp.GetStatus) return fail(CC.InvalidDataField);
    return { erased: true };
  }),

  // One clock for the SEL and the SDR repository: Set SDR Repository Time moves both.
  handle(sdr.getSdrRepositoryTime, (_req, { bmc }) => ({ time: bmc.selTime() })),
  handle(sdr.setSdrRepositoryTime, (req, { bmc }) => {
    bmc.selTimeOffset = req.time - Math.floor(bmc.clock.now() / 1000);
    return EMPTY;
  }),
];
