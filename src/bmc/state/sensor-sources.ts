// Where a simulated sensor's value comes from: a fixed value, a file polled at an interval, or a
// waveform on the injected clock. The core never touches the file system: `serve` hands the
// sensors a SensorSourceIo, and without one file sources stay "reading unavailable".
//
// Values are engineering units for analog sensors (converted with the SDR's factors) and the
// 15-bit state mask for discrete ones.

import type { Clock, TimerHandle } from '../clock.js';
import type { Rng } from '../rng.js';

export type WaveformShape = 'ramp' | 'triangle' | 'sine' | 'square' | 'random-walk';
export const WAVEFORM_SHAPES: readonly WaveformShape[] = ['ramp', 'triangle', 'sine', 'square', 'random-walk'];

export type SensorSourceConfig =
  | { kind: 'fixed'; value: number }
  | {
      kind: 'file';
      path: string;
      intervalMs: number;
      /** value = number in the file × scale + offset (e.g. millidegrees: scale 0.001). */
      scale: number;
      offset: number;
    }
  | {
      kind: 'waveform';
      shape: WaveformShape;
      min: number;
      max: number;
      /** One cycle (ramp, triangle, sine, square). */
      periodMs: number;
      /** How often the value is recomputed. */
      intervalMs: number;
      /** Random walk: the largest change per interval. */
      step: number;
    };

/** The file reads `serve` performs for file sources. */
export interface SensorSourceIo {
  readFile(path: string): Promise<string>;
}

/** The first number in a file's text ("42.5\n", "temp=41000"); undefined when there is none. */
export function parseSourceText(text: string): number | undefined {
  const m = /0x[0-9a-fA-F]+|[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?/.exec(text);
  if (!m) return undefined;
  const v = m[0].startsWith('0x') ? parseInt(m[0], 16) : Number(m[0]);
  return Number.isFinite(v) ? v : undefined;
}

/**
 * A periodic waveform's value `elapsedMs` after it started: ramp rises from min to max and jumps
 * back, triangle rises and falls, sine starts at the midpoint going up, square is max for the
 * first half of each period.
 */
export function waveformAt(shape: Exclude<WaveformShape, 'random-walk'>, min: number, max: number, periodMs: number, elapsedMs: number): number {
  const phase = (((elapsedMs % periodMs) + periodMs) % periodMs) / periodMs;
  const span = max - min;
  switch (shape) {
    case 'ramp':
      return min + span * phase;
    case 'triangle':
      return min + span * (phase < 0.5 ? phase * 2 : 2 - phase * 2);
    case 'sine':
      return min + (span * (1 + Math.sin(2 * Math.PI * phase))) / 2;
    case 'square':
      return phase < 0.5 ? max : min;
  }
}

/** One random-walk step from `value`, uniform in ±step, reflected back into [min, max]. */
export function randomWalkStep(value: number, min: number, max: number, step: number, rng: Rng): number {
  const b = rng.bytes(2);
  const u = ((b[0]! << 8) | b[1]!) / 0xffff; // 0..1
  let next = value + (u * 2 - 1) * step;
  if (next > max) next = max - (next - max);
  if (next < min) next = min + (min - next);
  return Math.min(max, Math.max(min, next));
}

export interface SourceEnv {
  clock: Clock;
  rng: Rng;
  /** Reports a new value, or undefined when the source cannot produce one (unreadable file). */
  update(value: number | undefined): void;
  /** Reports a source problem once per distinct message. */
  problem(message: string): void;
}

/** A running source; stop() cancels its timer. */
export interface RunningSource {
  stop(): void;
  /** File sources: start polling now that I/O is available. */
  attach?(io: SensorSourceIo): void;
}

/** Starts a source: fixed values report once, the others on timers of the injected clock. */
export function startSource(cfg: SensorSourceConfig, env: SourceEnv): RunningSource {
  switch (cfg.kind) {
    case 'fixed':
      env.update(cfg.value);
      return { stop() {} };
    case 'waveform':
      return startWaveform(cfg, env);
    case 'file':
      return startFile(cfg, env);
  }
}

function startWaveform(cfg: Extract<SensorSourceConfig, { kind: 'waveform' }>, env: SourceEnv): RunningSource {
  const started = env.clock.now();
  let walk = (cfg.min + cfg.max) / 2;
  let timer: TimerHandle | undefined;
  const tick = () => {
    if (cfg.shape === 'random-walk') {
      env.update(walk);
      walk = randomWalkStep(walk, cfg.min, cfg.max, cfg.step, env.rng);
    } else {
      env.update(waveformAt(cfg.shape, cfg.min, cfg.max, cfg.periodMs, env.clock.now() - started));
    }
    timer = env.clock.setTimer(cfg.intervalMs, tick);
  };
  tick();
  return { stop: () => timer?.cancel() };
}

function startFile(cfg: Extract<SensorSourceConfig, { kind: 'file' }>, env: SourceEnv): RunningSource {
  let timer: TimerHandle | undefined;
  let io: SensorSourceIo | undefined;
  let stopped = false;
  let reading = false;
  const poll = () => {
    timer = env.clock.setTimer(cfg.intervalMs, poll);
    // A slow file system must not pile reads up: skip a tick while one is outstanding.
    if (reading || !io) return;
    reading = true;
    io.readFile(cfg.path).then(
      (text) => {
        reading = false;
        if (stopped) return;
        const n = parseSourceText(text);
        if (n === undefined) env.problem(`no number in ${cfg.path}`);
        env.update(n === undefined ? undefined : n * cfg.scale + cfg.offset);
      },
      (e: unknown) => {
        reading = false;
        if (stopped) return;
        env.problem(`cannot read ${cfg.path}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
        env.update(undefined);
      },
    );
  };
  return {
    stop() {
      stopped = true;
      timer?.cancel();
    },
    attach(next) {
      io = next;
      timer?.cancel();
      poll();
    },
  };
}
