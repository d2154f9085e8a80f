/**
 * The replicas setups: for each front kind with config files, one over two app replicas round
 * robin and one sticky, each a real config that renders with a scenario's values and proxies to
 * both replicas (never to the single app), with the placeholders of the kind's reference config;
 * and the http-front's two, whose options name both replicas as targets.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { resolveFrontOptions } from '../../../proxy/options.js';
import { httpFrontFlags, httpFrontOptions } from '../../../src/fronts/http-front.js';
import { frontDescriptor, frontSetup, frontSetups } from '../../../src/fronts/index.js';
import { projectPath } from '../../../src/paths.js';
import { renderTemplateFile, templatePlaceholders } from '../../../src/templates.js';
import { frontVars, replicaAliases } from '../../../src/topology/values.js';
import { extractSnippet } from '../../support/docs/snippets.js';

/** The kinds with config files that have replicas setups, and the lines that make each what it is. */
const KINDS: Record<string, { roundRobin: RegExp; sticky: RegExp }> = {
  nginx: { roundRobin: /upstream app \{\s*server app-1:8080;\s*server app-2:8080;\s*\}/, sticky: /^\s*ip_hash;$/m },
  haproxy: { roundRobin: /^\s*balance roundrobin$/m, sticky: /^\s*cookie SERVERID insert indirect nocache$/m },
  httpd: { roundRobin: /^\s*ProxySet lbmethod=byrequests$/m, sticky: /^\s*ProxySet lbmethod=byrequests stickysession=ROUTEID$/m },
  caddy: { roundRobin: /^\s*lb_policy round_robin$/m, sticky: /^\s*lb_policy cookie$/m },
};

const vars = frontVars({ idleTimeoutSeconds: 60 });
const read = (template: string): string => readFileSync(projectPath(template), 'utf8');
const directives = (text: string): string[] => text.split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));

describe('the replicas setups', () => {
  it('render REPLICA_1 and REPLICA_2 as the first two replicas on the scenario network', () => {
    const [first, second] = replicaAliases(2);
    expect(vars.REPLICA_1).toBe(`${first}:8080`);
    expect(vars.REPLICA_2).toBe(`${second}:8080`);
    expect(vars.REPLICA_1).not.toBe(vars.REPLICA_2);
  });

  for (const [kind, lines] of Object.entries(KINDS)) {
    for (const [name, mode] of [[`${kind}-replicas`, 'roundRobin'], [`${kind}-replicas-sticky`, 'sticky']] as const) {
      it(`${name}: a ${kind} config that renders with frontVars(), names both replicas and not the single app`, () => {
        const setup = frontSetup(name);
        expect(setup.kind).toBe(kind);
        const template = setup.template as string;
        expect(template).toMatch(new RegExp(`^${kind}/replicas-(round-robin|sticky)\\.`));
        const rendered = renderTemplateFile(template, { ...vars });
        expect(rendered).not.toMatch(/\$\{[A-Z0-9_]+\}/);
        const active = directives(rendered).join('\n');
        expect(active).toContain('app-1:8080');
        expect(active).toContain('app-2:8080');
        expect(active).not.toContain(vars.UPSTREAM);
        expect(rendered).toMatch(lines[mode]);
        // The other mode's distinguishing line is not here (a round robin config is not sticky).
        if (mode === 'roundRobin') expect(rendered).not.toMatch(lines.sticky);
      });

      it(`${name}: keeps the placeholders of ${kind}'s reference config, with the replicas in UPSTREAM's place`, () => {
        const reference = templatePlaceholders(read(frontSetup(kind).template as string)).filter((p) => p !== 'UPSTREAM');
        const own = templatePlaceholders(read(frontSetup(name).template as string));
        expect(own.sort()).toEqual([...reference, 'REPLICA_1', 'REPLICA_2'].sort());
      });

      it(`${name}: has a region the docs can show, holding both replicas`, () => {
        const template = frontSetup(name).template as string;
        const region = /#\s*region:\s*([\w-]+)/.exec(read(template))?.[1];
        expect(region, template).toBeDefined();
        const snippet = extractSnippet(read(template), template, region);
        expect(snippet).toContain('${REPLICA_1}');
        expect(snippet).toContain('${REPLICA_2}');
      });
    }
  }

  it('exist for every kind with config files but nghttpx, named <kind>-replicas and <kind>-replicas-sticky only', () => {
    const replicas = [...frontSetups.values()].filter((s) => s.name.includes('-replicas') && s.template);
    expect(replicas.map((s) => s.name).sort()).toEqual(Object.keys(KINDS).flatMap((k) => [`${k}-replicas`, `${k}-replicas-sticky`]).sort());
  });

  it('http-front: both replicas as targets, sticky off and on; the container command repeats --target and reads back the same', () => {
    for (const [name, sticky] of [['http-front-replicas', 'off'], ['http-front-replicas-sticky', 'cookie']] as const) {
      const setup = frontSetup(name);
      expect(setup.kind).toBe('http-front');
      const options = httpFrontOptions(setup, vars);
      expect(options).toMatchObject({ target: ['http://app-1:8080', 'http://app-2:8080'], sticky, websocket: 'off' });
      const command = frontDescriptor('http-front').setupCommand?.(setup, vars) ?? [];
      const targets = command.flatMap((arg, i) => (arg === '--target' ? [command[i + 1]] : []));
      expect(targets, name).toEqual(['http://app-1:8080', 'http://app-2:8080']);
      expect(command.join(' '), name).toContain(`--sticky ${sticky}`);
      expect(resolveFrontOptions({ argv: httpFrontFlags(options), env: {} })).toMatchObject(options);
    }
  });

  it('httpd: upgrade=websocket on each balancer member, never on the balancer ProxyPass (httpd refuses it there)', () => {
    for (const name of ['httpd-replicas', 'httpd-replicas-sticky']) {
      const active = directives(read(frontSetup(name).template as string));
      expect(active.filter((l) => l.startsWith('BalancerMember ')).every((l) => / upgrade=websocket( |$)/.test(l)), name).toBe(true);
      expect(active.filter((l) => l.startsWith('ProxyPass ')), name).toEqual(['ProxyPass / balancer://app/']);
      for (const module of ['proxy_balancer_module', 'slotmem_shm_module', 'lbmethod_byrequests_module']) {
        expect(active.some((l) => l.startsWith(`LoadModule ${module} `)), `${name}: ${module}`).toBe(true);
      }
    }
    const sticky = directives(read(frontSetup('httpd-replicas-sticky').template as string));
    expect(sticky).toContain('Header add Set-Cookie "ROUTEID=.%{BALANCER_WORKER_ROUTE}e; path=/" env=BALANCER_ROUTE_CHANGED');
    expect(sticky.filter((l) => l.startsWith('BalancerMember ')).map((l) => /route=(\S+)/.exec(l)?.[1])).toEqual(['1', '2']);
  });

  it('haproxy sticky: each server carries the cookie value that pins a client to it', () => {
    const active = directives(read(frontSetup('haproxy-replicas-sticky').template as string));
    expect(active.filter((l) => l.startsWith('server '))).toEqual(['server a ${REPLICA_1} cookie a check inter 500ms fall 1 rise 1', 'server b ${REPLICA_2} cookie b check inter 500ms fall 1 rise 1']);
  });
});
