import { fileURLToPath } from 'node:url';

/**
 * The project's root folder, for the config files and bundles that ship with it. This module
 * sits one level below the root both as source (src/paths.ts) and bundled (dist/*.mjs).
 */
export const projectRoot: string = fileURLToPath(new URL('..', import.meta.url));

/** An absolute path to a file that ships with the project, from its root-relative name. */
export function projectPath(relative: string): string {
  return fileURLToPath(new URL(`../${relative}`, import.meta.url));
}
