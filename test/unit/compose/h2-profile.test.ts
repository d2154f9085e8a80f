/**
 * docker-compose.yml's profile h2 runs each front as its suite does: the setup's command, its
 * config rendered from the setup's template where the image reads it, the certificate where the
 * setup's `tls` says, on the port the README's table and the compose header list. (Bringing it
 * up is test/containers/compose/compose.test.ts.)
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMPOSE_H2_SERVICES, COMPOSE_TLS_DIR, COMPOSE_TLS_DIR_ENV, COMPOSE_TLS_FILES } from '../../../src/compose/h2-profile.js';
import { frontDescriptor, frontSetup } from '../../../src/fronts/index.js';
import { HTTP_FRONT_BUNDLE } from '../../../src/fronts/http-front.js';
import { projectPath } from '../../../src/paths.js';
import { COMPOSE_VARS, composeConfigPath, composeH2Templates, renderComposeConfigs } from '../../../src/render.js';

const compose = readFileSync(projectPath('docker-compose.yml'), 'utf8');
const readme = readFileSync(projectPath('README.md'), 'utf8');

/** A service's lines in docker-compose.yml: from its key to the next service or top-level key. */
function serviceBlock(name: string): string {
  const start = compose.indexOf(`\n  ${name}:\n`);
  if (start < 0) throw new Error(`docker-compose.yml has no service '${name}'`);
  const rest = compose.slice(start + 1);
  const end = rest.slice(1).search(/\n(?: {2}[A-Za-z0-9][\w.-]*:|[A-Za-z])/);
  return end < 0 ? rest : rest.slice(0, end + 1);
}

/** A command as the compose file writes it: a flow sequence of JSON strings. */
const flow = (command: readonly string[]): string => JSON.stringify(command).replace(/","/g, '", "');

const tlsSource = (file: string): string => `source: "\${${COMPOSE_TLS_DIR_ENV}:-./${COMPOSE_TLS_DIR}}/${file}"`;

describe('docker-compose.yml profile h2', () => {
  for (const { setup: name, portVar, defaultPort } of COMPOSE_H2_SERVICES) {
    const setup = frontSetup(name);
    const front = frontDescriptor(setup.kind);

    it(`${name} runs its setup: the command, config and certificate paths of src/fronts/${setup.kind}.ts`, () => {
      const block = serviceBlock(name);
      expect(block).toContain('<<: ');
      expect(block).toMatch(/\*h2-front\b/);
      const command = front.setupCommand?.(setup, COMPOSE_VARS) ?? front.command;
      expect(command, `${name} has a command`).toBeDefined();
      expect(block).toContain(`command: ${flow(command ?? [])}`);
      if (setup.template) {
        expect(front.configPath).toBeDefined();
        expect(block).toContain(`image: "\${${front.image.envVar}`);
        expect(block).toContain(`- ./${composeConfigPath(setup.template)}:${front.configPath}:ro`);
      } else {
        // The Node front: its bundle alone under /app (a read-only /app could not hold /app/tls).
        expect(block).toMatch(/\*node-service\b/);
        expect(block).toContain(`- ./dist/${HTTP_FRONT_BUNDLE}:/app/${HTTP_FRONT_BUNDLE}:ro`);
      }
      const tls = setup.tls;
      expect(tls, `${name} terminates TLS`).toBeDefined();
      expect(block).toContain(`${tlsSource(COMPOSE_TLS_FILES.cert)}\n        target: ${tls?.certPath}\n        read_only: true`);
      expect(block).toContain(`${tlsSource(COMPOSE_TLS_FILES.key)}\n        target: ${tls?.keyPath}\n        read_only: true`);
    });

    it(`${name} publishes 127.0.0.1:$${portVar} (default ${defaultPort}), listed in the compose header and the README`, () => {
      expect(serviceBlock(name)).toContain(`- "127.0.0.1:\${${portVar}:-${defaultPort}}:${COMPOSE_VARS.LISTEN_PORT}"`);
      const header = compose.split('\n').filter((l) => l.startsWith('#')).join('\n');
      expect(header).toMatch(new RegExp(`\\b${defaultPort} `));
      expect(readme).toMatch(new RegExp(`^\\| ${defaultPort} \\| .* \\| \`${portVar}\` \\|$`, 'm'));
    });
  }

  it('its services are in profile h2 through the shared anchor, none overriding it, and every default port is used once', () => {
    const anchor = compose.slice(compose.indexOf('x-h2-front: &h2-front'), compose.indexOf('\nservices:'));
    expect(anchor).toContain('profiles: [h2]');
    for (const { setup } of COMPOSE_H2_SERVICES) expect(serviceBlock(setup), setup).not.toMatch(/^ {4}profiles:/m);
    const ports = [...compose.matchAll(/"127\.0\.0\.1:\$\{WS_PROXY_BENCH_PORT_\w+:-(\d+)\}:/g)].map((m) => Number(m[1]));
    expect(new Set(ports).size, `default ports ${ports.join(', ')}`).toBe(ports.length);
    expect(ports).toEqual(expect.arrayContaining(COMPOSE_H2_SERVICES.map((s) => s.defaultPort)));
  });

  it('render --compose writes each front\'s config with the compose values: the app at echo:8080, TLS on 8080, the certificate where compose mounts it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wspb-compose-render-'));
    try {
      const written = renderComposeConfigs(dir);
      const setups = COMPOSE_H2_SERVICES.map((s) => frontSetup(s.setup)).filter((s) => s.template !== undefined);
      expect(setups.map((s) => s.template)).toEqual(composeH2Templates());
      for (const setup of setups) {
        const file = composeConfigPath(setup.template ?? '', dir);
        expect(written).toContain(file);
        const text = readFileSync(file, 'utf8');
        expect(text, file).not.toMatch(/\$\{[A-Z_]+\}/);
        expect(text, file).toMatch(/echo[:,]8080/);
        expect(text, file).toMatch(/\b8080\b/);
        // HAProxy finds the key beside the certificate by name (cert.pem.key): only the certificate is named.
        expect(text, file).toContain(setup.tls?.certPath);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
