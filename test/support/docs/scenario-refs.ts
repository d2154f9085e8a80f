/**
 * Scenario ids the docs name (`nginx/keepalive-server-pings` in inline code), so a test can prove
 * each one is in the catalog: a page never tells a reader to run a scenario that does not exist.
 * Patterns (`<front>/upgrade`, `http-front/keepalive-*`) are left alone.
 */
import { fencedLines } from './snippets.js';

export interface ScenarioRef {
  id: string;
  /** 1-based line in the page. */
  line: number;
}

const INLINE_CODE = /`([^`\n]+)`/g;
const SCENARIO_ID = /^([a-z0-9]+(?:-[a-z0-9]+)*)\/([a-z0-9]+(?:-[a-z0-9]+)*)$/;

/** Inline-code spans outside fenced blocks that look like `<front setup>/<name>` with a known front setup. */
export function scenarioRefs(markdown: string, frontSetupNames: ReadonlySet<string>): ScenarioRef[] {
  const inBlock = fencedLines(markdown);
  const refs: ScenarioRef[] = [];
  markdown.split('\n').forEach((text, n) => {
    if (inBlock.has(n)) return;
    for (const m of text.matchAll(INLINE_CODE)) {
      const id = SCENARIO_ID.exec((m[1] as string).trim());
      if (id && frontSetupNames.has(id[1] as string)) refs.push({ id: id[0], line: n + 1 });
    }
  });
  return refs;
}
