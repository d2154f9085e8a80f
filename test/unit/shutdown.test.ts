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

describe('closeWithin', () => {
  it('waits for a close that finishes in time, and does not exit', async () => {
    const exit = vi.spyOn(process, 'exit').mockImplementation((() => undefined) as never);
    let closed = false;
    await closeWithin(async () => { await new Promise((r) => setTimeout(r, 20)); closed = true; }, () => undefined, 500);
    expect(closed).toBe(true);
    await new Promise((r) => setTimeout(r, 600));
    expect(exit).not.toHaveBeenCalled();
  });

  it('says so and exits with 1 when closing outlasts the bound', async () => {
    const exit = vi.spyOn(process, 'exit').mockImplementation((() => undefined) as never);
    const lines: string[] = [];
    const stuck = closeWithin(() => new Promise<void>((r) => setTimeout(r, 300)), (line) => { lines.push(line); }, 50);
    await new Promise((r) => setTimeout(r, 120));
    expect(exit).toHaveBeenCalledWith(1);
    expect(lines).toEqual(['still closing after 50 ms, exiting anyway']);
    await stuck;
  });
});
