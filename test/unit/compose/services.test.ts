/**
 * docker-compose.yml (parsed as compose reads it, merge keys resolved) against the compose
 * services table (src/compose/services.ts): the same services publish the same ports on
 * 127.0.0.1, in the same profiles, each front running its setup's command with its config
 * rendered from the setup's template where its image reads it, the handler of a
 * front-handles-websocket setup beside it, and each handshake expectation the catalog's.
 * (Bringing them up is test/containers/compose/compose.test.ts.)
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { COMPOSE_PROFILES, COMPOSE_SERVICES, composeService, EVERY_PROFILE } from '../../../src/compose/services.js';
import { frontDescriptor, frontSetup } from '../../../src/fronts/index.js';
import { WS_HANDLER_ALIAS, WS_HANDLER_SETUP } from '../../../src/fronts/vars.js';
import { projectPath } from '../../../src/paths.js';
import { COMPOSE_VARS, composeConfigPath, composeTemplates, renderComposeConfigs } from '../../../src/render.js';
import { catalog } from '../../../src/scenarios/catalog.js';
import { handshakeRefused } from '../../../src/scenarios/checks/handshake.js';
import { websocketHandledBy } from '../../../src/scenarios/checks/ownership.js';
import { parseComposeFile, readComposeFile, servicesUpWith } from '../../support/compose-file.js';

const services = readComposeFile();
const publishing = services.filter((s) => s.ports.length > 0);
const byName = new Map(services.map((s) => [s.name, s]));
const composeText = readFileSync(projectPath('docker-compose.yml'), 'utf8');

describe('the compose file parser', () => {
  it('resolves merge keys, anchors among them, and reads ports, volumes and dependencies', () => {
    const [svc] = parseComposeFile([
      'x-a: &a', '  labels: { k: v }', '  profiles: [p]',
      'x-b: &b', '  <<: *a', '  image: "img"',
      'services:', '  s:', '    <<: *b', '    command: ["run", "it"]',
      '    depends_on: { echo: { condition: service_healthy } }',
      '    volumes:', '      - ./x:/y:ro', '      - type: bind', '        source: ./z', '        target: /w',
      '    ports:', '      - "127.0.0.1:${P:-9000}:8080"',
    ].join('\n'));
    expect(svc).toEqual({
      name: 's', profiles: ['p'], image: 'img', command: ['run', 'it'], labels: { k: 'v' },
      volumes: [{ source: './x', target: '/y', readOnly: true }, { source: './z', target: '/w', readOnly: false }],
      ports: [{ host: '127.0.0.1', variable: 'P', defaultPort: 9000, target: 8080 }],
      dependsOn: { echo: 'service_healthy' },
    });
    expect(() => parseComposeFile('services:\n  s:\n    ports: ["8080:8080"]\n')).toThrow(/s publishes "8080:8080"/);
  });
});

describe('docker-compose.yml and the compose services table', () => {
  it('publish the same services, in the table\'s profiles, each on 127.0.0.1:$VARIABLE (its default) to the front\'s port', () => {
    expect(publishing.map((s) => s.name).sort()).toEqual(COMPOSE_SERVICES.map((s) => s.service).sort());
    for (const want of COMPOSE_SERVICES) {
      const svc = byName.get(want.service);
      expect(svc?.ports, want.service).toEqual([{ host: '127.0.0.1', variable: want.portVar, defaultPort: want.defaultPort, target: COMPOSE_VARS.LISTEN_PORT }]);
      expect(svc?.profiles, want.service).toEqual(want.profile === 'default' ? [] : [want.profile]);
    }
  });

  it('give every service its own default port and variable, and the existing ports stay where they were', () => {
    const ports = COMPOSE_SERVICES.map((s) => s.defaultPort);
    expect(new Set(ports).size, ports.join(', ')).toBe(ports.length);
    expect(new Set(COMPOSE_SERVICES.map((s) => s.portVar)).size).toBe(COMPOSE_SERVICES.length);
    // Ports users have bookmarked: moving one breaks their links.
    expect(Object.fromEntries(COMPOSE_SERVICES.filter((s) => s.defaultPort <= 8094).map((s) => [s.service, s.defaultPort]))).toEqual({
      echo: 8080, nginx: 8081, 'http-front': 8082, 'nginx-no-http11': 8083, 'nginx-no-upgrade-headers': 8084,
      'nginx-front-handles-websocket': 8085, 'front-ws': 8086, haproxy: 8087, httpd: 8088, caddy: 8089,
      'nginx-socketio': 8090, 'haproxy-h2': 8091, 'httpd-h2': 8092, 'nghttpx-h2': 8093, 'http-front-h2': 8094,
    });
  });

  it('use only the profiles the table names, and every profile has a service', () => {
    const used = new Set(services.flatMap((s) => s.profiles));
    expect([...used].sort()).toEqual([...EVERY_PROFILE].sort());
    for (const profile of COMPOSE_PROFILES) expect(COMPOSE_SERVICES.some((s) => s.profile === profile), profile).toBe(true);
    // Every profile named: every service comes up.
    expect(servicesUpWith(services, EVERY_PROFILE)).toHaveLength(services.length);
  });

  it('label every service with the run id, as the anchor says', () => {
    for (const svc of services) expect(svc.labels, svc.name).toEqual({ 'ws-proxy-bench': '${WS_PROXY_BENCH_RUN_ID:-compose}' });
  });

  for (const want of COMPOSE_SERVICES.filter((s) => s.setup !== undefined && frontSetup(s.setup).template !== undefined)) {
    const setup = frontSetup(want.setup ?? '');
    const front = frontDescriptor(setup.kind);
    it(`${want.service} runs setup ${setup.name}: ${front.title}'s image and command, ${setup.template} rendered where the image reads it`, () => {
      const svc = byName.get(want.service);
      expect(svc?.image, want.service).toMatch(new RegExp(`^\\$\\{${front.image.envVar}(:-[^}]+)?\\}$`));
      expect(svc?.command).toEqual(front.command);
      expect(svc?.volumes).toContainEqual({ source: `./${composeConfigPath(setup.template ?? '')}`, target: front.configPath, readOnly: true });
      // Started once what it proxies to is healthy: the app, or (a replicas setup) its replicas.
      const upstreams = readFileSync(projectPath(setup.template ?? ''), 'utf8').includes('${UPSTREAM') ? ['echo'] : ['socketio-1', 'socketio-2'];
      for (const upstream of upstreams) expect(svc?.dependsOn[upstream], `${want.service} starts once ${upstream} is healthy`).toBe('service_healthy');
      expect(svc?.healthcheck?.test.length, `${want.service} has a healthcheck`).toBeGreaterThan(0);
    });
  }

  for (const want of COMPOSE_SERVICES.filter((s) => s.setup !== undefined && frontSetup(s.setup).kind === 'http-front')) {
    it(`${want.service} runs setup ${want.setup}: the http-proxy front's command for it, in the node image`, () => {
      const setup = frontSetup(want.setup ?? '');
      const svc = byName.get(want.service);
      expect(svc?.command).toEqual(frontDescriptor(setup.kind).setupCommand?.(setup, COMPOSE_VARS));
      expect(svc?.image).toBe('${WS_PROXY_BENCH_IMAGE_NODE}');
    });
  }

  for (const want of COMPOSE_SERVICES.filter((s) => s.setup !== undefined && frontSetup(s.setup).companions !== undefined)) {
    it(`${want.service} has its setup's companions beside it, started first: ${Object.keys(frontSetup(want.setup ?? '').companions ?? {}).join(', ')}`, () => {
      for (const [alias, companion] of Object.entries(frontSetup(want.setup ?? '').companions ?? {})) {
        expect(alias).toBe(WS_HANDLER_ALIAS);
        expect(composeService(alias).setup).toBe(companion);
        expect(companion).toBe(WS_HANDLER_SETUP);
        expect(byName.get(want.service)?.dependsOn[alias], `${want.service} waits for ${alias}`).toMatch(/^service_(started|healthy)$/);
        expect(byName.get(alias)?.profiles, `${alias} comes up with ${want.service}`).toEqual(expect.arrayContaining(byName.get(want.service)?.profiles ?? []));
      }
    });
  }

  for (const want of COMPOSE_SERVICES.filter((s) => s.setup !== undefined && s.handshake !== undefined)) {
    const { status, by } = want.handshake ?? { status: 0, by: 'app' };
    it(`${want.service}: a handshake gets ${status} from the ${by}, as the catalog's scenarios of ${want.setup} expect`, () => {
      const checks = catalog.filter((s) => s.front === want.setup).flatMap((s) => s.checks);
      expect(checks.length, `the catalog has scenarios for ${want.setup}`).toBeGreaterThan(0);
      const titles = checks.map((c) => c.title);
      const refusals = checks.filter((c) => c.id === 'handshake' && c.title.startsWith('handshake fails')).map((c) => c.title);
      if (status !== 101) {
        expect(refusals).toContain(handshakeRefused(status, by).title);
      } else {
        expect(refusals, `${want.setup}'s handshake fails in the catalog`).toEqual([]);
        if (by === 'front') expect(titles).toContain(websocketHandledBy('front').title);
        else expect(titles).not.toContain(websocketHandledBy('front').title);
      }
    });
  }

  it('list every default port in the file\'s header comment', () => {
    const header = composeText.split('\n').filter((l) => l.startsWith('#')).join('\n');
    for (const s of COMPOSE_SERVICES) expect(header, s.service).toMatch(new RegExp(`\\b${s.defaultPort}\\b`));
  });

  describe('render --compose', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wspb-compose-services-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('writes every config the compose file mounts from dist/compose/, from the services\' setups\' templates, with the compose values', () => {
      const written = renderComposeConfigs(dir);
      expect(written).toEqual(composeTemplates().map((t) => composeConfigPath(t, dir)));
      const mounted = [...new Set(services.flatMap((s) => s.volumes.map((v) => v.source)).filter((src) => src.startsWith('./dist/compose/')))];
      expect(mounted.length).toBeGreaterThan(0);
      for (const source of mounted) {
        const file = join(dir, source.slice('./dist/compose/'.length));
        expect(existsSync(file), `${source} is rendered`).toBe(true);
        const text = readFileSync(file, 'utf8');
        expect(text, source).not.toMatch(/\$\{[A-Z_]+\}/);
        expect(text, source).toMatch(/\b8080\b/);
      }
      expect(written.length).toBe(mounted.length);
    });
  });
});
