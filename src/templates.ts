/**
 * Renders the fronts' config templates (nginx/, haproxy/, httpd/, caddy/). A template is a real config
 * file in which `${NAME}` placeholders (upper case, digits, underscores) stand for the values a
 * scenario varies. Everything else, including the proxies' own `$variables`, is left alone, so
 * the rendering works with any image of any front.
 */
import { readFileSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import { projectPath } from './paths.js';

const PLACEHOLDER = /\$\{([A-Z][A-Z0-9_]*)\}/g;

export type TemplateVars = Readonly<Record<string, string | number>>;

/** The placeholder names a template uses, in order of first appearance. */
export function templatePlaceholders(text: string): string[] {
  return [...new Set([...text.matchAll(PLACEHOLDER)].map((m) => m[1] as string))];
}

/** Replaces every placeholder; a placeholder with no value is an error naming it and the file. */
export function renderTemplate(text: string, vars: TemplateVars, source = 'template'): string {
  const missing = templatePlaceholders(text).filter((name) => vars[name] === undefined);
  if (missing.length > 0) {
    throw new Error(
      `${source}: no value for ${missing.map((n) => `\${${n}}`).join(', ')}; ` +
        `given: ${Object.keys(vars).join(', ') || 'nothing'}`,
    );
  }
  return text.replace(PLACEHOLDER, (_, name: string) => String(vars[name]));
}

/** Where a template named by `path` is read from: an absolute path as it is, a relative one from the project's root. */
export function templateFile(path: string): string {
  return isAbsolute(path) ? path : projectPath(path);
}

/**
 * Reads a template and renders it: one that ships with the project (a path relative to the
 * root) or the user's own file (an absolute path, e.g. `run --config`).
 */
export function renderTemplateFile(path: string, vars: TemplateVars): string {
  return renderTemplate(readFileSync(templateFile(path), 'utf8'), vars, path);
}
