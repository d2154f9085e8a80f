/** serve and front stop the same way: the first of SIGTERM/SIGINT, then a bounded close. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { closeWithin, nextStopSignal } from '../../src/shutdown.js';

afterEach(() => { vi.restoreAllMocks(); });

describe('nextStopSignal', () => {
  it('resolves with the first of SIGTERM and SIGINT and removes both listeners', async () => {
    const before = { term: process.listenerCount('SIGTERM'), int: process.listenerCount('SIGINT') };
    const waiting = nextStopSignal();
    expect(process.listenerCount('SIGINT')).toBe(before.int + 1);
    process.emit('SIGINT', 'SIGINT');
    await expect(waiting).resolves.toBe('SIGINT');
    expect(process.listenerCount('SIGTERM')).toBe(before.term);
    expect(process.listenerCount('SIGINT')).toBe(before.int);
  });
});

// Pure timing: fake timers stand in for the 20-600 ms waits, so both cases are exact and instant.
describe('closeWithin', () => {
  afterEach(() => { vi.useRealTimers(); });

  it('waits for a close that finishes in time, and does not exit', async () => {
    vi.useFakeTimers();
    const exit = vi.spyOn(process, 'exit').mockImplementation((() => undefined) as never);
    let closed = false;
    const closing = closeWithin(async () => { await new Promise((r) => setTimeout(r, 20)); closed = true; }, () => undefined, 500);
    await vi.advanceTimersByTimeAsync(19);
    expect(closed).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await closing;
    expect(closed).toBe(true);
    // Well past the bound: the timer was cleared, nothing exits.
    await vi.advanceTimersByTimeAsync(600);
    expect(exit).not.toHaveBeenCalled();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('says so and exits with 1 when closing outlasts the bound', async () => {
    vi.useFakeTimers();
    const exit = vi.spyOn(process, 'exit').mockImplementation((() => undefined) as never);
    const lines: string[] = [];
    let done = false;
    const stuck = closeWithin(() => new Promise<void>((r) => setTimeout(r, 300)), (line) => { lines.push(line); }, 50).then(() => { done = true; });
    await vi.advanceTimersByTimeAsync(49);
    expect(exit).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(exit).toHaveBeenCalledWith(1);
    expect(lines).toEqual(['still closing after 50 ms, exiting anyway']);
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(250);
    await stuck;
    expect(done).toBe(true);
  });
});
