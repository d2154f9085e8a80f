/**
 * Progress while the matrix runs: a line when a scenario or check starts and finishes, and a
 * heartbeat every few seconds for each check still waiting (scenario, check, elapsed, what it
 * expects), so a run that waits on idle timeouts never looks stuck.
 */
import type { Check, CheckOutcome } from '../scenarios/types.js';

interface Waiting { scenario: string; check: string; since: number; expecting: string }

export class ProgressBoard {
  private readonly waiting = new Map<string, Waiting>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly write: (line: string) => void,
    private readonly now: () => number = () => performance.now(),
    private readonly origin = now(),
  ) {}

  private stamp(ms = this.now() - this.origin): string {
    return `[${(ms / 1000).toFixed(1).padStart(6)} s]`;
  }

  line(text: string): void {
    this.write(`${this.stamp()} ${text}`);
  }

  checkStarted(scenario: string, check: Check): void {
    this.waiting.set(`${scenario} ${check.id}`, { scenario, check: check.id, since: this.now(), expecting: check.title });
    this.line(`  ▶ ${scenario} ${check.id}: ${check.title}`);
  }

  /** What a check said it waits for becomes what its heartbeat shows. */
  checkProgress(scenario: string, check: Check, text: string): void {
    const w = this.waiting.get(`${scenario} ${check.id}`);
    if (w) w.expecting = text;
    this.line(`  … ${scenario} ${check.id}: ${text}`);
  }

  checkFinished(scenario: string, outcome: CheckOutcome): void {
    this.waiting.delete(`${scenario} ${outcome.check}`);
    this.line(`  ${outcome.ok ? '✓' : '✗'} ${scenario} ${outcome.check}: ${outcome.figure} (${(outcome.durationMs / 1000).toFixed(2)} s)`);
  }

  /** One line per check still waiting. */
  heartbeat(): void {
    for (const w of this.waiting.values()) {
      this.line(`  ⏳ ${w.scenario} ${w.check}: ${((this.now() - w.since) / 1000).toFixed(1)} s elapsed; ${w.expecting}`);
    }
  }

  start(everyMs = 2_000): void {
    this.timer ??= setInterval(() => this.heartbeat(), everyMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}
