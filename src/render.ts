/**
 * `ws-proxy-bench render`: renders a front's config template with your values, and renders the
 * configs docker-compose.yml mounts (`--compose`, run by `npm run build`).
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parseArgs } from 'node:util';
import { renderTemplateFile, templateFile } from './templates.js';
import { projectPath } from './paths.js';
import { COMPOSE_H2_SERVICES } from './compose/h2-profile.js';
import { COMPOSE_SERVICES } from './compose/services.js';
import { frontSetup } from './fronts/index.js';
import { DEFAULT_WORKER_CONNECTIONS, replicaVars, upstreamVars, workerLimits, type FrontVars } from './fronts/vars.js';
import { WS_PATH } from './topology/values.js';

/** The values docker-compose.yml's topology uses (services echo and front-ws, port 8080). */
export const COMPOSE_VARS = {
  ...upstreamVars('echo', 8080),
  ...replicaVars(['app-1', 'app-2'], 8080),
  LISTEN_PORT: 8080,
  IDLE_TIMEOUT_SECONDS: 60,
  WS_PATH,
  WS_HANDLER: 'front-ws:8080',
  ...workerLimits(DEFAULT_WORKER_CONNECTIONS),
  HEADER_TIMEOUT_SECONDS: 60,
  DRAIN_TIMEOUT_SECONDS: 30,
} satisfies FrontVars;

/** Where compose finds a template's rendering: dist/compose/<template without .template>, e.g. dist/compose/haproxy/h2.cfg. */
export function composeConfigPath(template: string, outDir = 'dist/compose'): string {
  return join(outDir, template.replace(/\.template$/, ''));
}

/**
 * The templates docker-compose.yml mounts: those of the compose services' setups (the table in
 * src/compose/services.ts), once each, in its order; the http-proxy fronts take flags instead.
 */
export function composeTemplates(): string[] {
  return [...new Set(COMPOSE_SERVICES.flatMap(({ setup }) => (setup === undefined ? [] : frontSetup(setup).template ?? [])))];
}

/** The templates of profile h2's front setups that read a config file. */
export function composeH2Templates(): string[] {
  return COMPOSE_H2_SERVICES.flatMap(({ setup }) => frontSetup(setup).template ?? []);
}

/** Renders every config docker-compose.yml mounts with COMPOSE_VARS. */
export function renderComposeConfigs(outDir = projectPath('dist/compose')): string[] {
  return composeTemplates().map((template) => {
    const out = composeConfigPath(template, outDir);
    mkdirSync(join(out, '..'), { recursive: true });
    writeFileSync(out, renderTemplateFile(template, COMPOSE_VARS));
    return out;
  });
}

const HELP = `Usage:
  ws-proxy-bench render <template> [--var NAME=value]... [--out FILE]
  ws-proxy-bench render --compose [--out-dir DIR]

Renders a config template (e.g. nginx/ws-proxy.conf.template): every \${NAME} placeholder is
replaced by its --var value; a placeholder without one is an error. Without --out the result
goes to standard output. --compose renders the config of every docker-compose.yml service that
reads one (src/compose/services.ts), with
${Object.entries(COMPOSE_VARS).map(([k, v]) => `${k}=${v}`).join(' ')}, into dist/compose/.`;

export async function runRenderCommand(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        var: { type: 'string', multiple: true },
        out: { type: 'string' },
        compose: { type: 'boolean' },
        'out-dir': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    console.error(`render: ${(err as Error).message}\n\n${HELP}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  if (values.compose) {
    for (const file of renderComposeConfigs(values['out-dir'])) console.log(`render: wrote ${file}`);
    return 0;
  }
  const [template, ...extra] = positionals;
  if (!template || extra.length > 0) {
    console.error(`render: name exactly one template (got ${positionals.length}).\n\n${HELP}`);
    return 2;
  }
  if (!existsSync(templateFile(template))) {
    console.error(`render: no template at ${templateFile(template)}; name a template file, such as nginx/ws-proxy.conf.template`);
    return 2;
  }
  const vars: Record<string, string> = {};
  for (const pair of values.var ?? []) {
    const eq = pair.indexOf('=');
    if (eq <= 0) {
      console.error(`render: --var "${pair}" is not NAME=value (e.g. --var IDLE_TIMEOUT_SECONDS=60)`);
      return 2;
    }
    vars[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  const text = renderTemplateFile(template, vars);
  if (values.out) {
    writeFileSync(values.out, text);
    console.error(`render: wrote ${values.out} from ${basename(template)}`);
  } else {
    process.stdout.write(text);
  }
  return 0;
}
