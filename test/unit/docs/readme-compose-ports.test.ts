/**
 * The README's compose port table, and each front's docs page's lines for its compose services,
 * are generated from docker-compose.yml, so they cannot drift from the ports compose publishes.
 * To refresh them:
 * WS_PROXY_BENCH_UPDATE_DOCS=1 npx vitest run --project unit test/unit/docs/readme-compose-ports.test.ts
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { replaceBetween } from '../../../src/bench/readme-matrix.js';
import { projectPath } from '../../../src/paths.js';
import { readComposeFile } from '../../support/compose-file.js';
import { COMPOSE_SERVICES } from '../../../src/compose/services.js';
import { frontDescriptor, frontSetup } from '../../../src/fronts/index.js';
import { COMPOSE_PORTS_BEGIN, COMPOSE_PORTS_END, composePortsTable, FRONT_COMPOSE_BEGIN, FRONT_COMPOSE_END, frontComposeLines } from '../../support/docs/compose-ports.js';
import { updateDocsRequested } from '../../support/docs/update-docs.js';

const REFRESH = 'WS_PROXY_BENCH_UPDATE_DOCS=1 npx vitest run --project unit test/unit/docs/readme-compose-ports.test.ts';

describe("the README's compose port table", () => {
  it('is the one docker-compose.yml publishes: every port, its service, profile and variable', () => {
    const file = projectPath('README.md');
    let text = readFileSync(file, 'utf8');
    const want = replaceBetween(text, COMPOSE_PORTS_BEGIN, COMPOSE_PORTS_END, composePortsTable(readComposeFile()));
    if (updateDocsRequested() && want !== text) {
      writeFileSync(file, want);
      text = want;
    }
    const section = (doc: string): string => doc.slice(doc.indexOf(COMPOSE_PORTS_BEGIN), doc.indexOf(COMPOSE_PORTS_END));
    expect(section(text), `README.md: the compose port table drifted from docker-compose.yml; run ${REFRESH}`).toBe(section(want));
  });

  it('has a row per published port, sorted by port', () => {
    const table = composePortsTable(readComposeFile());
    const ports = [...table.matchAll(/^\| (\d+) \|/gm)].map((m) => Number(m[1]));
    expect(ports).toEqual([...ports].sort((a, b) => a - b));
    expect(ports.length).toBe(readComposeFile().reduce((n, s) => n + s.ports.length, 0));
  });
});

describe("each front's docs page: its compose services", () => {
  const kinds = [...new Set(COMPOSE_SERVICES.flatMap((s) => (s.setup === undefined ? [] : [frontSetup(s.setup).kind])))];
  for (const kind of kinds) {
    const page = frontDescriptor(kind).docsPage;
    it(`${page} lists every compose service that runs a ${kind} setup, as docker-compose.yml publishes it`, () => {
      const file = projectPath(page);
      let text = readFileSync(file, 'utf8');
      const lines = frontComposeLines(kind, readComposeFile());
      expect(lines, `${kind} has compose services`).not.toBe('');
      const want = replaceBetween(text, FRONT_COMPOSE_BEGIN, FRONT_COMPOSE_END, lines);
      if (updateDocsRequested() && want !== text) {
        writeFileSync(file, want);
        text = want;
      }
      expect(text, `${page}: its compose services' lines drifted from docker-compose.yml; run ${REFRESH}`).toBe(want);
    });
  }
});
