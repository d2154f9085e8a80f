/**
 * A setup that needs a newer front (startNeeding, src/topology/refused.ts): the front starts as
 * any other; a refusal by a front too old is the verdict, by one new enough a failure; a front
 * that starts must run a version that meets the need. The image's version is read only when the
 * start failed.
 */
import { describe, expect, it } from 'vitest';
import { ConfigRefusedByVersion, startNeeding } from '../../../src/topology/refused.js';
import type { FrontHandle } from '../../../src/topology/handles.js';

const needs = { version: '2.7.0', feature: 'stream_close_delay', refusal: /unrecognized subdirective stream_close_delay/ };
const setup = { kind: 'caddy', name: 'caddy-drain' } as const;

function fakeFront(version: string): FrontHandle {
  return { version: async () => version } as unknown as FrontHandle;
}

/** startNeeding with counters: how often the image's version was read, and what was kept. */
async function attempt(start: () => Promise<FrontHandle>, imageVersion: string | undefined) {
  let imageReads = 0;
  const kept: FrontHandle[] = [];
  const result = startNeeding(needs, setup, start, async () => { imageReads++; return imageVersion; }, (f) => { kept.push(f); return f; });
  return { result, imageReads: () => imageReads, kept };
}

const refusing = async (): Promise<FrontHandle> => {
  throw new Error('front (caddy) did not start: exited\nits last log lines:\nError: adapting config using caddyfile: /etc/caddy/Caddyfile:36 - unrecognized subdirective stream_close_delay');
};

describe('startNeeding', () => {
  it('starts a front new enough, reads its running version, and never the image\'s', async () => {
    const front = fakeFront('2.11.4');
    const a = await attempt(async () => front, '2.11.4');
    await expect(a.result).resolves.toBe(front);
    expect(a.imageReads()).toBe(0);
    expect(a.kept).toEqual([front]);
  });

  it('makes a refusal by a front too old the verdict, with the front\'s own error line', async () => {
    const a = await attempt(refusing, '2.6.2');
    const err = await a.result.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigRefusedByVersion);
    expect((err as ConfigRefusedByVersion).version).toBe('2.6.2');
    expect((err as ConfigRefusedByVersion).line).toBe('Error: adapting config using caddyfile: /etc/caddy/Caddyfile:36 - unrecognized subdirective stream_close_delay');
    expect(a.imageReads()).toBe(1);
  });

  it('fails with the start\'s own error when a front new enough (or of unknown version) refuses', async () => {
    for (const version of ['2.7.0', undefined]) {
      const a = await attempt(refusing, version);
      const err = await a.result.catch((e: unknown) => e);
      expect(err).not.toBeInstanceOf(ConfigRefusedByVersion);
      expect(String(err)).toContain('did not start');
    }
  });

  it('fails a front too old that takes the config after all (the setup\'s needs is wrong), keeping it to be stopped', async () => {
    const front = fakeFront('2.6.2');
    const a = await attempt(async () => front, '2.6.2');
    await expect(a.result).rejects.toThrow("caddy 2.6.2 took the config of setup 'caddy-drain', which says stream_close_delay needs 2.7.0: correct its `needs`");
    expect(a.kept).toEqual([front]);
  });
});
