// Session sequence-number replay windows. IPMI v1.5 §6.12.13 drops packets 8 or more behind;
// v2.0 widens this to 32 (implementations accept 16 behind to 15 ahead of the highest
// accepted value: OpenIPMI lanserv, go-ipmi). Duplicates are dropped even if their content
// differs. check() and commit() are separate so that only authenticated packets move the
// window (otherwise a spoofed packet could push it forward).

export class SequenceWindow {
  private highest: number;
  private seen = 0; // bit i: highest - i was accepted
  private readonly behind: number;
  private readonly ahead: number;

  constructor(initialHighest: number, behind: number, ahead: number) {
    this.highest = initialHighest >>> 0;
    this.behind = behind;
    this.ahead = ahead;
  }

  static v15(firstExpected: number): SequenceWindow {
    return new SequenceWindow((firstExpected - 1) >>> 0, 8, 8);
  }

  static v20(): SequenceWindow {
    return new SequenceWindow(0, 16, 15);
  }

  private delta(seq: number): number {
    return ((seq >>> 0) - this.highest) | 0; // signed 32-bit difference handles wrap-around
  }

  check(seq: number): boolean {
    const d = this.delta(seq);
    if (d > 0) return d <= this.ahead;
    if (-d > this.behind || -d >= 32) return false;
    return (this.seen & (1 << -d)) === 0;
  }

  commit(seq: number): void {
    const d = this.delta(seq);
    if (d > 0) {
      this.seen = d >= 32 ? 1 : ((this.seen << d) | 1) >>> 0;
      this.highest = seq >>> 0;
    } else if (-d < 32) {
      this.seen = (this.seen | (1 << -d)) >>> 0;
    }
  }
}

/** Next outbound sequence number; 0 is reserved for pre-session packets and skipped on wrap. */
export function nextSequence(seq: number): number {
  const n = (seq + 1) >>> 0;
  return n === 0 ? 1 : n;
}
