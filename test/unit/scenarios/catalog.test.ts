import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ABNORMAL_CLOSURE } from '../../../src/scenarios/check-helpers/client.js';
import {
  APP_REFUSAL_STATUS, catalog, HTTPD_DEFAULT_TIMEOUT_SECONDS, KEEPALIVE_IDLE_TIMEOUT_SECONDS, scenario,
} from '../../../src/scenarios/catalog.js';
import { FREEZE_DETECT_INTERVALS, FREEZE_PING_INTERVAL_MS } from '../../../src/scenarios/checks/faults.js';
import { BURST_HANDSHAKES, INVALID_PAYLOAD, MESSAGE_TOO_BIG } from '../../../src/scenarios/checks/hostile.js';
import { CUT_TOLERANCE_MS, cutWindow, HOLD_FACTOR, PINGS_PER_IDLE_TIMEOUT, windowText } from '../../../src/scenarios/checks/idle.js';
import { projectPath } from '../../../src/paths.js';
import { FRONT_KINDS, frontSetup, frontSetups } from '../../../src/fronts/index.js';
import { frontVars, WS_PATH } from '../../../src/topology/values.js';

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

  it('states in its summaries the figures its constants set', () => {
    const t = KEEPALIVE_IDLE_TIMEOUT_SECONDS;
    const summary = (id: string): string => scenario(id).summary;
    const titles = (id: string): string => scenario(id).checks.map((c) => c.title).join(' | ');
    for (const kind of ['nginx', 'haproxy', 'httpd', 'http-front']) {
      expect(summary(`${kind}/keepalive-no-server-pings`)).toContain(`cut at the ${t} s timeout; client pings every T/${PINGS_PER_IDLE_TIMEOUT}`);
      expect(summary(`${kind}/keepalive-server-pings`)).toContain(`app pings every T/${PINGS_PER_IDLE_TIMEOUT}: `);
      expect(summary(`${kind}/keepalive-server-pings`)).toContain(`open at ${HOLD_FACTOR} × the ${t} s timeout`);
      expect(titles(`${kind}/keepalive-server-pings`)).toContain(`${HOLD_FACTOR}× the timeout`);
    }
    expect(summary('caddy/keepalive-no-idle-timeout')).toContain(`not cut within ${HOLD_FACTOR * t} s (${HOLD_FACTOR} × ${t} s,`);
    expect(summary('haproxy-no-timeout-tunnel/cut-at-timeout-client')).toContain(`here ${t} s;`);
    expect(summary('haproxy-no-timeout-tunnel/cut-at-timeout-client')).toContain(`the client sees ${ABNORMAL_CLOSURE}`);
    expect(titles('haproxy-no-timeout-tunnel/cut-at-timeout-client')).toContain(`the client seeing ${ABNORMAL_CLOSURE}`);
    const httpd = summary('httpd-proxy-timeout-only/not-cut-at-proxy-timeout');
    expect(httpd).toContain(`ProxyTimeout ${t} s and Timeout left at its default (${HTTPD_DEFAULT_TIMEOUT_SECONDS} s)`);
    expect(httpd).toContain(`not cut within ${HOLD_FACTOR * t} s (${HOLD_FACTOR} × ProxyTimeout,`);
    // The scenario only shows the mistake while the hold ends before httpd's default Timeout would cut.
    expect(HOLD_FACTOR * t).toBeLessThan(HTTPD_DEFAULT_TIMEOUT_SECONDS);
    for (const id of ['nginx-no-http11/handshake-fails', 'nginx-no-upgrade-headers/handshake-fails', 'httpd-no-upgrade/handshake-fails']) {
      expect(summary(id), id).toMatch(new RegExp(` ${APP_REFUSAL_STATUS}$`));
      expect(titles(id), id).toContain(`${APP_REFUSAL_STATUS} from the app`);
    }
    expect(summary('nginx-no-upgrade-headers/handshake-fails')).toContain(`plain GET on ${WS_PATH} `);
    for (const kind of ['nginx', 'http-front']) {
      expect(summary(`${kind}/path-freeze-pings`)).toContain(`(every ${FREEZE_PING_INTERVAL_MS / 1000} s)`);
      expect(summary(`${kind}/path-freeze-pings`)).toContain('within about two intervals');
      expect(FREEZE_DETECT_INTERVALS).toBe(2); // "two", spelled out in the summary above
      expect(titles(`${kind}/path-freeze-pings`)).toContain(`~${FREEZE_DETECT_INTERVALS} intervals`);
      const hostile = summary(`${kind}/hostile-input`);
      expect(hostile).toContain(`oversized frame ${MESSAGE_TOO_BIG}, invalid UTF-8 ${INVALID_PAYLOAD}`);
      expect(hostile).toContain(`a burst of ${BURST_HANDSHAKES.toLocaleString('en-US')} handshakes`);
      expect(titles(`${kind}/hostile-input`)).toContain(`a burst of ${BURST_HANDSHAKES} handshakes`);
    }
  });

  it('states the idle-cut window in the README and the keepalive page as the check judges it', () => {
    const tolerance = `${CUT_TOLERANCE_MS / 1000} s`;
    const readme = readFileSync(projectPath('README.md'), 'utf8');
    expect(readme).toContain(`(measured: ${windowText('T', `T + ${tolerance}`)})`);
    const page = readFileSync(projectPath('docs/keepalive-interval.md'), 'utf8').replace(/\s+/g, ' ');
    expect(page).toContain(`the cut comes ${windowText('T', `T + ${tolerance}`)} (`);
    // The check's title says the same, with its tolerance.
    expect(scenario('nginx/keepalive-no-server-pings').checks[0]?.title).toContain(windowText('T', `T + ${(CUT_TOLERANCE_MS / 1000).toFixed(2)} s`));
    expect(cutWindow(2_000)).toBe(windowText('2.00 s', `${(2 + CUT_TOLERANCE_MS / 1000).toFixed(2)} s`));
  });

  it('names no duration in a summary that its constants do not give', () => {
    const t = KEEPALIVE_IDLE_TIMEOUT_SECONDS;
    const fromConstants = new Set([t, HOLD_FACTOR * t, HTTPD_DEFAULT_TIMEOUT_SECONDS, FREEZE_PING_INTERVAL_MS / 1000].map(String));
    // Figures about the world, not the bench: HAProxy's usual production timeouts.
    const facts = ['30–50 s'];
    for (const s of catalog) {
      const text = facts.reduce((rest, fact) => rest.replaceAll(fact, ''), s.summary);
      for (const [, figure] of text.matchAll(/(\d+(?:\.\d+)?) s\b/g)) {
        expect(fromConstants.has(figure as string), `${s.id}: "${figure} s" in its summary is not a figure its constants set`).toBe(true);
      }
    }
  });

  it('refuses an unknown scenario or front by name, listing the known ones', () => {
    expect(() => scenario('nope/x')).toThrow(/unknown scenario 'nope\/x'; known: nginx\/upgrade/);
    expect(() => frontSetup('nope')).toThrow(/unknown front setup 'nope'; known: nginx/);
  });
});
