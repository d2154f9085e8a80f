/** A bench step's parts: registered as they start, stopped together, past a failure, once. */
import { describe, expect, it } from 'vitest';
import { openStage, stage } from '../../../src/bench/stage.js';

const part = (log: string[], name: string, fails = false) => ({
  stop: async () => {
    log.push(name);
    if (fails) throw new Error(`${name} would not stop`);
  },
});

describe('openStage', () => {
  it('stops every part registered, reports the one that failed, and stops nothing twice', async () => {
    const stopped: string[] = [];
    const failures: string[] = [];
    const step = openStage();
    step.track(part(stopped, 'app'));
    step.track(part(stopped, 'front', true));
    step.track(part(stopped, 'generator'));
    await step.stop((err) => failures.push(String(err)));
    expect(stopped.sort()).toEqual(['app', 'front', 'generator']);
    expect(failures).toEqual(['Error: front would not stop']);
    await step.stop();
    expect(stopped).toHaveLength(3);
  });

  it('stops a part registered after an earlier stop at the next one (a start that settled late)', async () => {
    const stopped: string[] = [];
    const step = openStage();
    step.track(part(stopped, 'first'));
    await step.stop();
    step.track(part(stopped, 'late'));
    await step.stop();
    expect(stopped).toEqual(['first', 'late']);
  });
});

describe('stage', () => {
  it('stops its parts when the body throws, and the body\'s error is what the caller sees', async () => {
    const stopped: string[] = [];
    await expect(stage(async (track) => {
      track(part(stopped, 'app'));
      throw new Error('the front did not start');
    })).rejects.toThrow('the front did not start');
    expect(stopped).toEqual(['app']);
  });
});
