import { describe, expect, it } from 'vitest';
import { deadReason, GONE_OR_GOING, onlyGoingAlready } from '../../../src/containers/cleanup.js';
import { currentRunId, HOST_LABEL, newRunId, PID_LABEL, RUN_LABEL, runLabels, STARTED_LABEL } from '../../../src/containers/labels.js';

describe('run labels', () => {
  it('carry the run id, the owning pid, the host and the start time', () => {
    const now = new Date('2026-01-02T03:04:05Z');
    expect(runLabels('run-1', { pid: 42, host: 'box', now })).toEqual({
      [RUN_LABEL]: 'run-1', [PID_LABEL]: '42', [HOST_LABEL]: 'box', [STARTED_LABEL]: '2026-01-02T03:04:05.000Z',
    });
  });
  it('refuse a run id that is not a safe label value', () => {
    expect(() => runLabels('a b')).toThrow("run id 'a b' may only contain");
  });
  it('use WS_PROXY_BENCH_RUN_ID when set, else one generated id per process', () => {
    expect(currentRunId({ WS_PROXY_BENCH_RUN_ID: 'given' })).toBe('given');
    expect(currentRunId({})).toBe(currentRunId({}));
    expect(newRunId(new Date('2026-01-02T03:04:05Z'))).toMatch(/^run-20260102T030405-[0-9a-f]{6}$/);
  });
});

describe('which runs the sweep removes', () => {
  const now = new Date('2026-01-02T12:00:00Z');
  const labels = (pid: number, host = 'box', started = '2026-01-02T11:00:00Z') => ({ [RUN_LABEL]: 'r', [PID_LABEL]: String(pid), [HOST_LABEL]: host, [STARTED_LABEL]: started });
  const alive = (pid: number) => pid === 1;

  it('a run whose process is gone on this host', () => {
    expect(deadReason(labels(2), { now, host: 'box', alive })).toBe('its process 2 is gone');
    expect(deadReason(labels(1), { now, host: 'box', alive })).toBeUndefined();
  });
  it("a run's start-up sweep leaves a dead run alone for its first minute; the sweep command does not wait", () => {
    const justNow = labels(2, 'box', '2026-01-02T11:59:30Z');
    expect(deadReason(justNow, { now, host: 'box', alive, minAgeSeconds: 60 })).toBeUndefined();
    expect(deadReason(justNow, { now, host: 'box', alive })).toBe('its process 2 is gone');
    expect(deadReason(labels(2, 'box', '2026-01-02T11:58:59Z'), { now, host: 'box', alive, minAgeSeconds: 60 })).toBe('its process 2 is gone');
  });
  it('not a run of another host, whose pid means nothing here', () => {
    expect(deadReason(labels(2, 'other'), { now, host: 'box', alive })).toBeUndefined();
  });
  it('any run older than the age limit, and everything with --all', () => {
    expect(deadReason(labels(1, 'other', '2026-01-01T00:00:00Z'), { now, host: 'box', alive, maxAgeHours: 24 })).toBe('older than 24 h');
    expect(deadReason(labels(1), { now, host: 'box', alive, all: true })).toBe('--all');
  });
  it('not a resource without pid or start labels (e.g. docker-compose’s) unless --all', () => {
    expect(deadReason({ [RUN_LABEL]: 'compose' }, { now, host: 'box', alive })).toBeUndefined();
  });
});

describe('removing a run: what docker rm may say of a container that goes anyway', () => {
  it('a container gone, or being removed by another cleanup at the same moment (seen in a sweep racing a run\'s own cleanup)', () => {
    expect(onlyGoingAlready('Error response from daemon: removal of container 0197e08e9178 is already in progress\n')).toBe(true);
    expect(onlyGoingAlready('Error: No such container: 0197e08e9178\nError response from daemon: removal of container ab12 is already in progress')).toBe(true);
  });
  it('the same words from the engine\'s API, as a container\'s own stop gets them when a Ctrl-C cleanup is removing it (seen at every stop of bench:scale\'s 13)', () => {
    expect(GONE_OR_GOING.test('(HTTP code 409) unexpected - removal of container b473c01b8940 is already in progress')).toBe(true);
    expect(GONE_OR_GOING.test('(HTTP code 404) no such container - No such container: b473c01b8940')).toBe(true);
    expect(GONE_OR_GOING.test('(HTTP code 500) server error - driver failed programming external connectivity')).toBe(false);
  });
  it('any other error, or none printed, is a failure to report', () => {
    expect(onlyGoingAlready('Error response from daemon: removal of container ab12 is already in progress\nError response from daemon: driver failed')).toBe(false);
    expect(onlyGoingAlready('Cannot connect to the Docker daemon')).toBe(false);
    expect(onlyGoingAlready('')).toBe(false);
  });
});
