import { describe, expect, it } from 'vitest';
import { PAUSE_ATTEMPTS, pauseContainer } from '../../../src/containers/front-container.js';

/** A container whose pause fails with `errors` in turn, then succeeds. */
function container(errors: string[]): { pause(): Promise<void>; calls: number } {
  const c = {
    calls: 0,
    pause: async () => {
      const error = errors[c.calls++];
      if (error) throw new Error(error);
    },
  };
  return c;
}

const FREEZE = '(HTTP code 500) server error - Cannot pause container 3794ff: OCI runtime pause failed: unable to freeze: unknown';

describe('pauseContainer', () => {
  it('tries again when the runtime could not freeze the container (it thawed it), and returns once it is paused', async () => {
    const c = container([FREEZE, FREEZE]);
    await pauseContainer(c, 'the caddy front');
    expect(c.calls).toBe(3);
  });

  it('gives up after its attempts, quoting the engine', async () => {
    const c = container(Array.from({ length: PAUSE_ATTEMPTS }, () => FREEZE));
    await expect(pauseContainer(c, 'the caddy front')).rejects.toThrow(`pausing the caddy front failed after ${PAUSE_ATTEMPTS} attempts: ${FREEZE}`);
    expect(c.calls).toBe(PAUSE_ATTEMPTS);
  });

  it('fails at once on any other refusal', async () => {
    const c = container(['(HTTP code 409) Container 3794ff is not running']);
    await expect(pauseContainer(c, 'the nginx front')).rejects.toThrow('pausing the nginx front failed: (HTTP code 409) Container 3794ff is not running');
    expect(c.calls).toBe(1);
  });
});
