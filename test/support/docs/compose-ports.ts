/**
 * The README's compose port table, generated from docker-compose.yml (parsed as compose reads
 * it): every published port, its service, the profile that brings it up and the variable that
 * moves it, with what each service is from the compose services table (src/compose/services.ts);
 * and on each front's docs page, a line per compose service of that kind.
 * test/unit/docs/readme-compose-ports.test.ts fails when either differs.
 */
import { composeService } from '../../../src/compose/services.js';
import { frontSetup } from '../../../src/fronts/index.js';
import { markdownTable } from '../../../src/report/markdown-table.js';
import type { ComposeFileService } from '../compose-file.js';

export const COMPOSE_PORTS_BEGIN = '<!-- compose-ports:begin (generated from docker-compose.yml; see test/unit/docs/readme-compose-ports.test.ts) -->';
export const COMPOSE_PORTS_END = '<!-- compose-ports:end -->';

export function composePortsTable(services: readonly ComposeFileService[]): string {
  const rows = services
    .flatMap((s) => s.ports.map((p) => ({ service: s, port: p })))
    .sort((a, b) => a.port.defaultPort - b.port.defaultPort)
    .map(({ service, port }) => [
      String(port.defaultPort),
      `\`${service.name}\``,
      composeService(service.name).what,
      service.profiles.length === 0 ? '(none: plain `up`)' : service.profiles.map((p) => `\`${p}\``).join(', '),
      `\`${port.variable}\``,
    ]);
  return markdownTable(['port', 'service', 'what it is', 'profile', 'variable'], rows);
}

export const FRONT_COMPOSE_BEGIN = '<!-- compose-services:begin (generated from docker-compose.yml; see test/unit/docs/readme-compose-ports.test.ts) -->';
export const FRONT_COMPOSE_END = '<!-- compose-services:end -->';

/** The compose services that run a setup of this front kind, a line each: port, service, profile, what it is. */
export function frontComposeLines(kind: string, services: readonly ComposeFileService[]): string {
  const lines = services
    .filter((s) => s.ports.length > 0)
    .flatMap((s) => {
      const setup = composeService(s.name).setup;
      return setup !== undefined && frontSetup(setup).kind === kind ? s.ports.map((p) => ({ service: s, port: p })) : [];
    })
    .sort((a, b) => a.port.defaultPort - b.port.defaultPort)
    .map(({ service, port }) => {
      const profile = service.profiles.length === 0 ? 'no profile: plain `docker compose up`' : `profile ${service.profiles.map((p) => `\`${p}\``).join(', ')}`;
      return `- \`127.0.0.1:${port.defaultPort}\` (\`${port.variable}\`): \`${service.name}\`, ${profile}: ${composeService(service.name).what}`;
    });
  return lines.join('\n');
}
