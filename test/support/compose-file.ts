/**
 * docker-compose.yml as compose reads it: parsed with the `yaml` package, `<<` merge keys (and
 * their anchors) resolved, so a service's profiles, image, command, volumes, ports and
 * dependencies are what compose would run, wherever in the file they were written. Only what the
 * tests read is typed; a shape they do not expect is an error naming the service.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { projectPath } from '../../src/paths.js';

/** A published port as the compose file writes it: "127.0.0.1:${VARIABLE:-default}:target". */
export interface ComposePort {
  host: string;
  variable: string;
  defaultPort: number;
  target: number;
}

export interface ComposeFileService {
  name: string;
  /** Its profiles; none: it comes up with a plain `docker compose up`. */
  profiles: string[];
  image?: string;
  command?: string[];
  /** Short-syntax volumes ("source:target[:ro]") as written; long-syntax ones as their source and target. */
  volumes: { source: string; target: string; readOnly: boolean }[];
  ports: ComposePort[];
  dependsOn: Record<string, string>;
  labels: Record<string, string>;
  healthcheck?: { test: string[] };
}

const PORT = /^(?<host>[\d.]+):\$\{(?<variable>\w+):-(?<port>\d+)\}:(?<target>\d+)$/;

type Raw = Record<string, unknown>;

const isObject = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v);

function strings(value: unknown, what: string): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) throw new Error(`docker-compose.yml: ${what} is not a list of strings: ${JSON.stringify(value)}`);
  return value as string[];
}

function service(name: string, raw: unknown): ComposeFileService {
  if (!isObject(raw)) throw new Error(`docker-compose.yml: service ${name} is not a mapping`);
  const ports = strings(raw.ports, `${name}.ports`).map((p) => {
    const m = PORT.exec(p);
    if (!m?.groups) throw new Error(`docker-compose.yml: ${name} publishes "${p}", not "<address>:\${VARIABLE:-port}:<port>"`);
    return { host: m.groups.host as string, variable: m.groups.variable as string, defaultPort: Number(m.groups.port), target: Number(m.groups.target) };
  });
  const volumes = (Array.isArray(raw.volumes) ? raw.volumes : []).map((v: unknown) => {
    if (typeof v === 'string') {
      const [source = '', target = '', mode] = v.split(':');
      return { source, target, readOnly: mode === 'ro' };
    }
    if (isObject(v) && typeof v.source === 'string' && typeof v.target === 'string') return { source: v.source, target: v.target, readOnly: v.read_only === true };
    throw new Error(`docker-compose.yml: ${name} has a volume compose reads some other way: ${JSON.stringify(v)}`);
  });
  const dependsOn: Record<string, string> = {};
  if (Array.isArray(raw.depends_on)) for (const d of strings(raw.depends_on, `${name}.depends_on`)) dependsOn[d] = 'service_started';
  else if (isObject(raw.depends_on)) {
    for (const [d, how] of Object.entries(raw.depends_on)) dependsOn[d] = isObject(how) && typeof how.condition === 'string' ? how.condition : 'service_started';
  }
  const labels = isObject(raw.labels) ? Object.fromEntries(Object.entries(raw.labels).map(([k, v]) => [k, String(v)])) : {};
  const health = isObject(raw.healthcheck) ? { test: strings(raw.healthcheck.test, `${name}.healthcheck.test`) } : undefined;
  return {
    name,
    profiles: strings(raw.profiles, `${name}.profiles`),
    ...(typeof raw.image === 'string' ? { image: raw.image } : {}),
    ...(raw.command !== undefined ? { command: strings(raw.command, `${name}.command`) } : {}),
    volumes,
    ports,
    dependsOn,
    labels,
    ...(health ? { healthcheck: health } : {}),
  };
}

/** The services of a compose file's text, in the file's order. */
export function parseComposeFile(text: string): ComposeFileService[] {
  // Our own file, not untrusted input: its anchors (labels, front kinds) are used many times.
  const doc: unknown = parse(text, { merge: true, maxAliasCount: -1 });
  if (!isObject(doc) || !isObject(doc.services)) throw new Error('docker-compose.yml has no services mapping');
  return Object.entries(doc.services).map(([name, raw]) => service(name, raw));
}

/** The project's docker-compose.yml, parsed. */
export function readComposeFile(path = projectPath('docker-compose.yml')): ComposeFileService[] {
  return parseComposeFile(readFileSync(path, 'utf8'));
}

/** The services `docker compose up` starts with these profiles named: those with no profile and those in one of them. */
export function servicesUpWith(services: readonly ComposeFileService[], profiles: readonly string[]): ComposeFileService[] {
  return services.filter((s) => s.profiles.length === 0 || s.profiles.some((p) => profiles.includes(p)));
}
