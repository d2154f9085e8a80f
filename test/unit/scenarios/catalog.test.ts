import { describe, expect, it } from 'vitest';
import { catalog, KEEPALIVE_IDLE_TIMEOUT_SECONDS, scenario } from '../../../src/scenarios/catalog.js';
import { FRONT_KINDS, frontSetup, frontSetups } from '../../../src/fronts/index.js';
import { frontVars } from '../../../src/topology/values.js';

import { renderTemplateFile } from '../../../src/templates.js';

describe('the scenario catalog', () => {
  it('has unique scenario ids, and unique check ids within a scenario', () => {
    const ids = catalog.map((s) => s.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const s of catalog) {
      const checks = s.checks.map((c) => c.id);
      expect(new Set(checks).size, s.id).toBe(checks.length);
    }
  });

  it('names only known front setups, whose templates render with the scenario’s values', () => {
    for (const s of catalog) {
      const setup = frontSetup(s.front);
      if (setup.template) expect(() => renderTemplateFile(setup.template as string, { ...frontVars(s) })).not.toThrow();
      for (const companion of Object.values(setup.companions ?? {})) expect(frontSetups.has(companion)).toBe(true);
    }
  });

  it('covers all three families for every kind of front', () => {
    for (const kind of FRONT_KINDS) {
      const families = new Set(catalog.filter((s) => frontSetup(s.front).kind === kind).map((s) => s.family));
      expect([...families].sort(), kind).toEqual(expect.arrayContaining(['front-websocket', 'keepalive', 'upgrade']));
    }
  });

  it('runs the keepalive family with a short idle timeout and server pings at T/2', () => {
    const pinging = scenario('nginx/keepalive-server-pings');
    expect(pinging.idleTimeoutSeconds).toBe(KEEPALIVE_IDLE_TIMEOUT_SECONDS);
    expect(Number(pinging.app.ECHO_KEEPALIVE_INTERVAL_MS)).toBe((KEEPALIVE_IDLE_TIMEOUT_SECONDS * 1000) / 2);
    expect(scenario('nginx/keepalive-no-server-pings').app.ECHO_KEEPALIVE_INTERVAL_MS).toBe('0');
  });

  it('refuses an unknown scenario or front by name, listing the known ones', () => {
    expect(() => scenario('nope/x')).toThrow(/unknown scenario 'nope\/x'; known: nginx\/upgrade/);
    expect(() => frontSetup('nope')).toThrow(/unknown front setup 'nope'; known: nginx/);
  });
});
