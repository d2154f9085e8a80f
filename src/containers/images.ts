/**
 * Which image each role runs. The roles and their variables come from the front registry
 * (src/fronts/). Image names come from WS_PROXY_BENCH_IMAGE_<ROLE> in the environment, else from the
 * project's top-level .env (which docker-compose reads too), where the pinned official images are.
 */
import { existsSync, readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';
import { NODE_IMAGE } from '../fronts/app-image.js';
import { FRONTS } from '../fronts/index.js';
import type { ImageSpec } from '../fronts/types.js';
import { projectPath } from '../paths.js';

/** An image role: `node` (the app and the http-front) or a third-party front kind's own. */
export type ImageRole = (typeof FRONTS)[number]['image']['role'];

/** Every role's image: the app's, then each front kind's own (the http-front shares the app's). */
export const IMAGE_SPECS: Readonly<Record<ImageRole, ImageSpec<ImageRole>>> = Object.fromEntries(
  [NODE_IMAGE, ...FRONTS.map((f) => f.image)].map((spec) => [spec.role, spec]),
) as Record<ImageRole, ImageSpec<ImageRole>>;
export const IMAGE_ROLES = Object.keys(IMAGE_SPECS) as ImageRole[];

let dotEnvCache: Record<string, string> | undefined;
/** The project's .env (the defaults), read once, by Node's own dotenv parser. */
export function projectDotEnv(): Record<string, string> {
  if (!dotEnvCache) {
    const file = projectPath('.env');
    dotEnvCache = existsSync(file) ? (parseEnv(readFileSync(file, 'utf8')) as Record<string, string>) : {};
  }
  return dotEnvCache;
}

export type ImageChoice =
  | {
    role: ImageRole;
    image: string;
    /** Where the name came from: the environment (the user chose) or .env (the default). */
    source: 'environment' | '.env';
  }
  /** No official image exists for the role and nobody named one: the offline stand-in is the default. */
  | { role: ImageRole; image: undefined; source: 'stand-in' };

/** The image a role runs: process.env wins over .env. Throws when neither names one. */
export function chooseImage(
  role: ImageRole,
  env: NodeJS.ProcessEnv = process.env,
  dotEnv: Record<string, string> = projectDotEnv(),
): ImageChoice {
  const key = IMAGE_SPECS[role].envVar;
  const fromEnv = env[key]?.trim();
  if (fromEnv) return { role, image: fromEnv, source: 'environment' };
  const fromFile = dotEnv[key]?.trim();
  if (fromFile) return { role, image: fromFile, source: '.env' };
  if (IMAGE_SPECS[role].official === false) return { role, image: undefined, source: 'stand-in' };
  throw new Error(`no image for role '${role}': set ${key} in the environment or in the project's .env`);
}

/** The image a role runs now (after a run resolved its images, the resolved one). */
export function imageFor(role: ImageRole): string {
  const choice = chooseImage(role);
  if (choice.image === undefined) {
    throw new Error(`no image for role '${role}' (it has no official image): run \`ws-proxy-bench images resolve\` or set ${IMAGE_SPECS[role].envVar}`);
  }
  return choice.image;
}

export function imageCatalog(env: NodeJS.ProcessEnv = process.env, dotEnv?: Record<string, string>): ImageChoice[] {
  return IMAGE_ROLES.map((role) => chooseImage(role, env, dotEnv));
}

