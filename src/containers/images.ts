/**
 * Which image each role runs, and what the harness needs to know about each: one table.
 * Image names come from WS_PROXY_BENCH_IMAGE_<ROLE> in the environment, else from the
 * project's top-level .env (which docker-compose reads too), where the pinned official images are.
 */
import { existsSync, readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';
import { projectPath } from '../paths.js';

export type ImageRole = 'node' | 'nginx' | 'haproxy' | 'httpd' | 'caddy';
export const IMAGE_ROLES: readonly ImageRole[] = ['node', 'nginx', 'haproxy', 'httpd', 'caddy'];

export interface RoleSpec {
  role: ImageRole;
  /** The environment variable (and .env key) naming the role's image. */
  envVar: string;
  /** Where a front of this role reads its config file (absent: node, files go under /app). */
  configPath?: string;
  /** The command a front of this role runs (node: given per front). */
  command?: string[];
  /** The command that makes a running front reload its config (absent: no reload here). */
  reloadCommand?: string[];
  summary: string;
}

export const ROLE_SPECS: Readonly<Record<ImageRole, RoleSpec>> = {
  node: {
    role: 'node',
    envVar: 'WS_PROXY_BENCH_IMAGE_NODE',
    summary: 'runs the echo app and the http-proxy front (bundles copied under /app)',
  },
  nginx: {
    role: 'nginx',
    envVar: 'WS_PROXY_BENCH_IMAGE_NGINX',
    configPath: '/etc/nginx/nginx.conf',
    command: ['nginx', '-g', 'daemon off;'],
    summary: 'nginx front',
  },
  haproxy: {
    role: 'haproxy',
    envVar: 'WS_PROXY_BENCH_IMAGE_HAPROXY',
    configPath: '/usr/local/etc/haproxy/haproxy.cfg',
    command: ['haproxy', '-f', '/usr/local/etc/haproxy/haproxy.cfg'],
    summary: 'HAProxy front',
  },
  httpd: {
    role: 'httpd',
    envVar: 'WS_PROXY_BENCH_IMAGE_HTTPD',
    configPath: '/usr/local/apache2/conf/httpd.conf',
    command: ['httpd-foreground'],
    summary: 'Apache httpd front',
  },
  caddy: {
    role: 'caddy',
    envVar: 'WS_PROXY_BENCH_IMAGE_CADDY',
    configPath: '/etc/caddy/Caddyfile',
    command: ['caddy', 'run', '--config', '/etc/caddy/Caddyfile', '--adapter', 'caddyfile'],
    // --force: reload even though the file did not change (a deploy that touches nothing else).
    reloadCommand: ['caddy', 'reload', '--config', '/etc/caddy/Caddyfile', '--adapter', 'caddyfile', '--force'],
    summary: 'Caddy front',
  },
};

let dotEnvCache: Record<string, string> | undefined;
/** The project's .env (the defaults), read once, by Node's own dotenv parser. */
export function projectDotEnv(): Record<string, string> {
  if (!dotEnvCache) {
    const file = projectPath('.env');
    dotEnvCache = existsSync(file) ? (parseEnv(readFileSync(file, 'utf8')) as Record<string, string>) : {};
  }
  return dotEnvCache;
}

export interface ImageChoice {
  role: ImageRole;
  image: string;
  /** Where the name came from: the environment (the user chose) or .env (the default). */
  source: 'environment' | '.env';
}

/** The image a role runs: process.env wins over .env. Throws when neither names one. */
export function chooseImage(
  role: ImageRole,
  env: NodeJS.ProcessEnv = process.env,
  dotEnv: Record<string, string> = projectDotEnv(),
): ImageChoice {
  const key = ROLE_SPECS[role].envVar;
  const fromEnv = env[key]?.trim();
  if (fromEnv) return { role, image: fromEnv, source: 'environment' };
  const fromFile = dotEnv[key]?.trim();
  if (fromFile) return { role, image: fromFile, source: '.env' };
  throw new Error(`no image for role '${role}': set ${key} in the environment or in the project's .env`);
}

export function imageFor(role: ImageRole): string {
  return chooseImage(role).image;
}

export function imageCatalog(env: NodeJS.ProcessEnv = process.env, dotEnv?: Record<string, string>): ImageChoice[] {
  return IMAGE_ROLES.map((role) => chooseImage(role, env, dotEnv));
}

