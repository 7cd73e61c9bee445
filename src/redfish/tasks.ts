// TaskService (DSP0266 §12.2 "Asynchronous operations"): an action that outlasts its request
// (a graceful shutdown waits for the guest) answers 202 Accepted with a task monitor in
// Location; the monitor answers 202 while the task runs and the action's own reply (204, or the
// error) once it is done. The Task resource shows the state. The last 32 tasks are kept.

import type { Clock } from '../bmc/clock.js';
import { baseMessage, RedfishError, type ExtendedInfo } from './errors.js';
import { isoTime, resource, TASKS_URI } from './odata.js';
import type { Doc, Reply } from './routes.js';

const KEEP = 32;
export const TASK_TYPE = 'Task.v1_7_4.Task';

export interface Task {
  id: string;
  name: string;
  state: 'Running' | 'Completed' | 'Exception' | 'Cancelled';
  startedAt: number;
  endedAt?: number;
  messages: ExtendedInfo[];
  /** The action's final reply once done. */
  result?: Reply;
  /** Who started it: only they (or an administrator) may see its monitor. */
  userId: number;
}

export class TaskTable {
  private readonly clock: Clock;
  private readonly tasks = new Map<string, Task>();
  private nextId = 1;
  private closed = false;

  constructor(clock: Clock) {
    this.clock = clock;
  }

  /** Starts `work`; its resolution completes the task, a rejection (a RedfishError) fails it. */
  start(name: string, userId: number, work: () => Promise<void>): Task {
    const t: Task = { id: String(this.nextId++), name, state: 'Running', startedAt: this.clock.now(), messages: [], userId };
    this.tasks.set(t.id, t);
    while (this.tasks.size > KEEP) {
      const oldest = [...this.tasks.values()].find((x) => x.state !== 'Running');
      if (!oldest) break;
      this.tasks.delete(oldest.id);
    }
    void work().then(
      () => this.finish(t, 'Completed', { status: 204 }, baseMessage('Success')),
      (e: unknown) => {
        const err = e instanceof RedfishError ? e : new RedfishError(500, 'InternalError');
        this.finish(t, 'Exception', { status: err.status, body: err.body() }, err.messages[0]!);
      },
    );
    return t;
  }

  private finish(t: Task, state: Task['state'], result: Reply, message: ExtendedInfo): void {
    if (this.closed || t.state !== 'Running') return;
    t.state = state;
    t.endedAt = this.clock.now();
    t.result = result;
    t.messages.push(message);
  }

  get(id: string): Task | undefined {
    return this.tasks.get(id);
  }

  ids(): string[] {
    return [...this.tasks.keys()];
  }

  close(): void {
    this.closed = true;
  }
}

export const taskUri = (t: Task): string => `${TASKS_URI}/${t.id}`;
export const monitorUri = (t: Task): string => `${taskUri(t)}/Monitor`;

export function taskDoc(t: Task): Doc {
  return resource(taskUri(t), TASK_TYPE, t.id, t.name, {
    TaskState: t.state,
    TaskStatus: t.state === 'Exception' ? 'Critical' : 'OK',
    StartTime: isoTime(t.startedAt),
    ...(t.endedAt !== undefined ? { EndTime: isoTime(t.endedAt) } : {}),
    PercentComplete: t.state === 'Running' ? 0 : 100,
    TaskMonitor: monitorUri(t),
    Messages: t.messages,
  });
}

/** The 202 reply that hands a task to the client. */
export function acceptedReply(t: Task): Reply {
  return { status: 202, body: taskDoc(t), headers: { Location: monitorUri(t), 'Retry-After': '1' } };
}

/** Polls `done` until it holds, or fails after `timeoutMs` with the given error. */
export function waitUntil(clock: Clock, done: () => boolean, timeoutMs: number, onTimeout: () => RedfishError, stepMs = 100): Promise<void> {
  const deadline = clock.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const tick = () => {
      if (done()) return resolve();
      if (clock.now() >= deadline) return reject(onTimeout());
      clock.setTimer(stepMs, tick);
    };
    tick();
  });
}
