/**
 * The relative links of a Markdown page, so a test can prove each one points to a file that
 * exists (test/unit/docs/links.test.ts). Links inside code blocks and inline code are not links.
 */
import { fencedLines } from './snippets.js';

export interface RelativeLink {
  /** The target as written, e.g. "../README.md#more". */
  target: string;
  /** The file part of the target, without "#anchor" or "?query", e.g. "../README.md". */
  path: string;
  /** 1-based line in the page. */
  line: number;
}

const INLINE_LINK = /\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g;
const REFERENCE_DEFINITION = /^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)/;
const ABSOLUTE = /^(?:[a-z][a-z0-9+.-]*:|\/\/|#)/i;

/** Every link of the page whose target is a relative path (not a URL, not an anchor on the same page). */
export function relativeLinks(markdown: string): RelativeLink[] {
  const lines = markdown.split('\n');
  const inBlock = fencedLines(markdown);
  const links: RelativeLink[] = [];
  lines.forEach((raw, n) => {
    if (inBlock.has(n)) return;
    const line = raw.replace(/`[^`]*`/g, '');
    const targets = [...line.matchAll(INLINE_LINK)].map((m) => m[1] as string);
    const ref = REFERENCE_DEFINITION.exec(line);
    if (ref) targets.push(ref[1] as string);
    for (const target of targets) {
      if (ABSOLUTE.test(target)) continue;
      links.push({ target, path: decodeURI(target.replace(/[#?].*$/, '')), line: n + 1 });
    }
  });
  return links;
}
