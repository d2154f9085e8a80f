/**
 * The README's compose port table, generated from docker-compose.yml (parsed as compose reads
 * it): every published port, its service, the profile that brings it up and the variable that
 * moves it, with what each service is from the compose services table (src/compose/services.ts).
 * test/unit/docs/readme-compose-ports.test.ts fails when the README's table differs.
 */
import { composeService } from '../../../src/compose/services.js';
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
