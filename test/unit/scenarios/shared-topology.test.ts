import { describe, expect, it } from 'vitest';
import { catalog } from '../../../src/scenarios/catalog.js';
import { appGroups, appKey, disturbs, topologyGroups, topologyKey, undisturbingContext } from '../../../src/scenarios/shared-topology.js';
import type { CheckContext, Family, Scenario } from '../../../src/scenarios/types.js';
import { catalogSuites } from '../../containers/scenarios/suites.js';

const scenario = (id: string, family: Family, more: Partial<Scenario> = {}): Scenario => ({
  id, family, front: 'nginx', summary: id, idleTimeoutSeconds: 30, app: { ECHO_KEEPALIVE_INTERVAL_MS: '0' }, checks: [], ...more,
});
const ids = (groups: Scenario[][]): string[][] => groups.map((g) => g.map((s) => s.id));

describe('which scenarios share a topology', () => {
  it('the same front setup, idle timeout, app kind, app options (in any order) and replicas share one', () => {
    const a = scenario('a', 'upgrade', { app: { X: '1', Y: '2' } });
    expect(topologyKey(scenario('b', 'keepalive', { app: { Y: '2', X: '1' } }))).toBe(topologyKey(a));
    expect(topologyKey(scenario('c', 'upgrade', { app: { X: '1', Y: '2' }, appKind: 'echo', replicas: 1 }))).toBe(topologyKey(a));
    const others: Partial<Scenario>[] = [
      { front: 'haproxy' }, { idleTimeoutSeconds: 2 }, { app: { X: '1' } }, { app: { X: '1', Y: '3' } }, { appKind: 'socketio' }, { replicas: 2 },
    ];
    for (const other of others) {
      expect(topologyKey(scenario('d', 'upgrade', { app: { X: '1', Y: '2' }, ...other })), JSON.stringify(other)).not.toBe(topologyKey(a));
    }
  });

  it("a user's deployment never shares", () => {
    const deployment = { upstream: { host: 'app', port: 3000 }, listenPort: 8080, wsPath: '/ws' };
    expect(topologyKey(scenario('d', 'deployment', { deployment }))).toBeUndefined();
    expect(ids(topologyGroups([scenario('d1', 'deployment', { deployment }), scenario('d2', 'deployment', { deployment })]))).toEqual([['d1'], ['d2']]);
  });

  it('groups keep the order of their first scenario; a disturbing scenario comes last in its group, and a second one gets its own', () => {
    const groups = topologyGroups([
      scenario('restarts', 'faults'),
      scenario('upgrade', 'upgrade'),
      scenario('short-idle', 'keepalive', { idleTimeoutSeconds: 2 }),
      scenario('freeze', 'faults'),
      scenario('handled-by', 'front-websocket'),
    ]);
    expect(ids(groups)).toEqual([['upgrade', 'handled-by', 'restarts'], ['short-idle'], ['freeze']]);
    for (const g of groups) expect(g.slice(0, -1).some(disturbs), g.map((s) => s.id).join()).toBe(false);
  });

  it('the faults, reload and replicas families disturb; the others do not', () => {
    expect(['faults', 'reload', 'replicas'].every((f) => disturbs(scenario('x', f as Family)))).toBe(true);
    expect(['upgrade', 'keepalive', 'front-websocket', 'h2', 'socketio', 'security', 'misconfiguration'].some((f) => disturbs(scenario('x', f as Family)))).toBe(false);
  });

  it('topologies with the same app kind, app options and replicas share the app, whatever their fronts and idle timeouts; the one disturbing group comes last', () => {
    expect(appKey(scenario('a', 'upgrade', { front: 'haproxy', idleTimeoutSeconds: 2 }))).toBe(appKey(scenario('b', 'keepalive')));
    for (const other of [{ app: {} }, { appKind: 'socketio' as const }, { replicas: 2 }]) {
      expect(appKey(scenario('c', 'upgrade', other)), JSON.stringify(other)).not.toBe(appKey(scenario('b', 'keepalive')));
    }
    const groups = appGroups([
      scenario('nginx/restarts', 'faults'),
      scenario('nginx/upgrade', 'upgrade'),
      scenario('haproxy/upgrade', 'upgrade', { front: 'haproxy' }),
      scenario('nginx/freeze', 'faults'),
      scenario('nginx/short-idle', 'keepalive', { idleTimeoutSeconds: 2 }),
      scenario('nginx/pings', 'keepalive', { idleTimeoutSeconds: 2, app: { ECHO_KEEPALIVE_INTERVAL_MS: '1000' } }),
      scenario('nginx/handled-by', 'front-websocket'),
    ]);
    // nginx/upgrade and nginx/handled-by share nginx/restarts' topology (it runs last on it), and
    // that topology runs last on the app; nginx/freeze disturbs too, so it gets an app of its own.
    expect(groups.map((g) => g.map((t) => t.map((s) => s.id)))).toEqual([
      [['haproxy/upgrade'], ['nginx/short-idle'], ['nginx/upgrade', 'nginx/handled-by', 'nginx/restarts']],
      [['nginx/freeze']],
      [['nginx/pings']],
    ]);
  });

  it('in the catalog, each suite file shares a topology where it can, and never one after a disturbing scenario', () => {
    const shared = Object.entries(catalogSuites).flatMap(([file, select]) => topologyGroups(catalog.filter(select)).filter((g) => g.length > 1).map((g) => ({ file, g })));
    expect(shared.map(({ g }) => g.map((s) => s.id).join(' + '))).toContain('nginx/upgrade + nginx/websocket-handled-by-app');
    expect(shared.map(({ g }) => g.map((s) => s.id).join(' + '))).toContain('nginx-replicas/socketio + nginx-replicas/socketio-rolling-restart');
    for (const { g } of shared) {
      expect(g.slice(0, -1).some(disturbs)).toBe(false);
      expect(new Set(g.map(topologyKey)).size).toBe(1);
    }
    for (const select of Object.values(catalogSuites)) {
      for (const group of appGroups(catalog.filter(select))) {
        const all = group.flat();
        expect(all.slice(0, -1).some(disturbs), all.map((s) => s.id).join()).toBe(false);
        expect(new Set(all.map(appKey)).size).toBe(1);
      }
    }
  });
});

describe('the context of a scenario that shares its topology with the next', () => {
  const calls: string[] = [];
  let port = 1000;
  const ctx: CheckContext = {
    get wsUrl() { port += 1; return `ws://127.0.0.1:${port}/ws`; },
    idleTimeoutMs: 30_000,
    appStats: async () => { calls.push('stats'); return {} as never; },
    progress: () => {},
    reloadFront: async () => { calls.push('reload'); },
    controls: {
      restartFront: async () => { calls.push('restartFront'); },
      restartApp: async () => { calls.push('restartApp'); },
      pauseFront: async () => { calls.push('pauseFront'); },
      unpauseFront: async () => { calls.push('unpauseFront'); },
    },
    replicas: [{ alias: 'app-1', json: async () => ({}) as never, terminate: async () => { calls.push('terminate'); }, start: async () => { calls.push('start'); } }],
  };
  const guarded = undisturbingContext(ctx, scenario('nginx/upgrade', 'upgrade'));

  it('refuses every restart, pause, reload and replica stop or start, naming the scenario and the rule', async () => {
    const refusals = [
      guarded.controls?.restartFront(), guarded.controls?.restartApp(), guarded.controls?.pauseFront(), guarded.controls?.unpauseFront(),
      guarded.reloadFront?.(), guarded.replicas?.[0]?.terminate(), guarded.replicas?.[0]?.start(),
    ];
    expect(refusals.every((r) => r instanceof Promise)).toBe(true);
    for (const r of refusals) await expect(r).rejects.toThrow(/^nginx\/upgrade shares its topology with the scenarios after it, so its checks may not .+: a scenario whose checks do belongs to a disturbing family \(faults, reload, replicas/);
    expect(calls).toEqual([]);
  });

  it('keeps the rest as it was: the live getters stay live, the counters and replica reads pass through', async () => {
    const first = guarded.wsUrl;
    expect(guarded.wsUrl).not.toBe(first);
    await guarded.appStats();
    expect(calls).toEqual(['stats']);
    expect(guarded.replicas?.[0]?.alias).toBe('app-1');
    expect(guarded.idleTimeoutMs).toBe(30_000);
    // The context it came from still disturbs: only the guarded copy refuses.
    await ctx.controls?.restartFront();
    expect(calls).toEqual(['stats', 'restartFront']);
  });
});
