/** The pages the docs tests guard: README.md and every Markdown file under docs/, root-relative. */
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { projectPath, projectRoot } from '../../../src/paths.js';

export function docPages(): string[] {
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? walk(join(dir, e.name)) : e.name.endsWith('.md') ? [join(dir, e.name)] : []);
  return ['README.md', ...walk(projectPath('docs')).map((p) => relative(projectRoot, p)).sort()];
}
