/**
 * What a check needs of the app: a check the app cannot serve is skipped with the reason (never
 * run, never passed); the others run. And the pure parts of the deployment checks.
 */
import { describe, expect, it } from 'vitest';
import { refusalLine } from '../../../src/containers/deployment-topology.js';
import { reportScenario } from '../../../src/run/build-report.js';
import { answeringHeaders, holdPlan, needing } from '../../../src/scenarios/checks/deployment.js';
import { runChecks } from '../../../src/scenarios/run.js';
import type { Check, CheckContext, Scenario } from '../../../src/scenarios/types.js';

const ran: string[] = [];
const check = (id: string, ok = true): Check => ({
  id, title: id, independent: true,
  run: async () => { ran.push(id); return { ok, figure: ok ? 'fine' : 'bad', detail: '' }; },
});
const context = {} as CheckContext;

describe('checks that declare what they need of the app', () => {
  it('an app without /stats or an echo: those checks are skipped with the reason, the rest run', async () => {
    ran.length = 0;
    const checks = [check('handshake'), needing(check('echo-text'), 'echo'), needing(check('handled-by'), 'stats', 'identity')];
    const outcomes = await runChecks(checks, () => context, {}, ['websocket']);
    expect(ran).toEqual(['handshake']);
    expect(outcomes.map((o) => [o.check, o.ok, o.skipped])).toEqual([
      ['handshake', true, undefined],
      ['echo-text', false, 'the app does not serve an echo of each message, which this check needs'],
      ['handled-by', false, "the app does not serve the bench's /stats counters or the bench's identity header on its 101, which this check needs"],
    ]);
  });

  it("the bench's own app serves everything: nothing is skipped", async () => {
    ran.length = 0;
    const outcomes = await runChecks([needing(check('echo-text'), 'echo'), needing(check('handled-by'), 'stats')], () => context);
    expect(ran.sort()).toEqual(['echo-text', 'handled-by']);
    expect(outcomes.every((o) => o.skipped === undefined && o.ok)).toBe(true);
  });

  it('the report: a skipped check is "skip", a scenario of passes and skips passes, one of skips only is skipped, a failure fails', () => {
    const scenario = { id: 'nginx/your-app', front: 'nginx', family: 'deployment', summary: '', idleTimeoutSeconds: 2, app: {}, checks: [] } as Scenario;
    const outcome = (checks: { check: string; ok: boolean; skipped?: string }[]) => ({
      scenario: scenario.id, front: 'nginx', family: 'deployment' as const, ok: checks.every((c) => c.ok || c.skipped !== undefined), durationMs: 1,
      checks: checks.map((c) => ({ ...c, title: c.check, figure: '', detail: c.skipped ?? '', durationMs: 0 })),
    });
    const skip = { check: 'echo-text', ok: false, skipped: 'no echo' };
    const passed = reportScenario(scenario, outcome([{ check: 'handshake', ok: true }, skip]));
    expect([passed.status, passed.checks.map((c) => c.status)]).toEqual(['pass', ['pass', 'skip']]);
    expect(reportScenario(scenario, outcome([skip])).status).toBe('skip');
    expect(reportScenario(scenario, outcome([{ check: 'handshake', ok: false }, skip])).status).toBe('fail');
  });
});

describe('the deployment checks, pure parts', () => {
  it("the 101's identifying headers: server, via and every X- header, sorted; none said so", () => {
    expect(answeringHeaders({ server: 'nginx/1.26.3', 'x-chat-server': 'own-app-chat/1', upgrade: 'websocket', connection: 'upgrade' })).toBe('server: nginx/1.26.3, x-chat-server: own-app-chat/1');
    expect(answeringHeaders({ upgrade: 'websocket' })).toBe('no identifying headers');
  });

  it('the hold after the idle cut: T stated or found, a ping every T/2, held T plus a fifth (at least 1 s); nothing found, nothing to hold', () => {
    expect(holdPlan({ idleTimeoutMs: 3_000 })).toEqual({ timeoutMs: 3_000, everyMs: 1_500, holdMs: 4_000, source: 'the stated idle timeout' });
    expect(holdPlan({ idleTimeoutMs: 0 }, { cut: { afterMs: 60_000, code: 1006, reason: '', how: 'tcp-close', closedBy: 'far end' } }))
      .toEqual({ timeoutMs: 60_000, everyMs: 30_000, holdMs: 72_000, source: 'the cut found' });
    expect(holdPlan({ idleTimeoutMs: 0 }, { maxIdleMs: 5_000 })).toBeUndefined();
  });

  it("a refused config: the front's own error line, from each kind's start output", () => {
    expect(refusalLine('2026/12/02 00:54:12 [emerg] 1#1: unknown directive "proxy_http_versio" in /etc/nginx/nginx.conf:35\n')).toBe('2026/12/02 00:54:12 [emerg] 1#1: unknown directive "proxy_http_versio" in /etc/nginx/nginx.conf:35');
    expect(refusalLine("[NOTICE]   (1) : haproxy version is 3.0.11\n[ALERT]    (1) : config : parsing [/usr/local/etc/haproxy/haproxy.cfg:12] : unknown keyword 'tiemout'\n")).toContain("unknown keyword 'tiemout'");
    expect(refusalLine('AH00526: Syntax error on line 3 of /usr/local/apache2/conf/httpd.conf:\nInvalid command \'ProxyPas\'\n')).toContain('AH00526: Syntax error on line 3');
    expect(refusalLine('all fine\nlistening\n')).toBeUndefined();
  });
});
