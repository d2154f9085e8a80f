/**
 * Config snippets in the docs are the very files the suite runs. A Markdown page includes a file
 * with a marker line immediately followed by a fenced code block:
 *
 *     <!-- include: nginx/ws-proxy.conf.template -->
 *     ```nginx
 *     …the whole file…
 *     ```
 *
 * or one named region of it (`<!-- include: nginx/ws-proxy.conf.template#upgrade -->`), marked
 * inside the file by comment lines `# region: upgrade` … `# endregion` (`//` comments work too;
 * text after the region's name is a free comment).
 * Region marker lines never appear in a snippet, and a region's common indentation is removed.
 * Paths are relative to the project root. This module finds the includes, extracts what each
 * should show, and rewrites the blocks that drifted; test/unit/docs/snippets.test.ts uses it.
 */

/** Fence info strings (the first word) of config languages a front runs: such a block must be an include. */
export const CONFIG_LANGUAGES: ReadonlySet<string> = new Set([
  'nginx', 'haproxy', 'apache', 'apacheconf', 'httpd', 'caddy', 'caddyfile',
]);

const INCLUDE = /^\s*<!--\s*include:\s*([^\s#]+)(?:#([\w-]+))?\s*-->\s*$/;
const FENCE_OPEN = /^ {0,3}(`{3,}|~{3,})\s*([^`\s]*)[^`]*$/;
const REGION_START = /^\s*(?:#|\/\/)\s*region:\s*([\w-]+)(?:\s.*)?$/;
const REGION_END = /^\s*(?:#|\/\/)\s*endregion\b.*$/;

export interface FencedBlock {
  /** First word of the info string ("nginx"), or "" when untagged. */
  language: string;
  /** 0-based line of the opening fence. */
  openLine: number;
  /** 0-based line of the closing fence (the last line of the page when never closed). */
  closeLine: number;
  /** The block's text: the lines between the fences, each followed by a newline. */
  content: string;
}

export interface Include {
  /** 0-based line of the marker. */
  markerLine: number;
  /** Root-relative path of the included file. */
  file: string;
  region?: string;
  /** The fenced block that follows the marker, or undefined when the marker is not followed by one. */
  block?: FencedBlock;
}

/** Every fenced code block of a Markdown text, in order. */
export function fencedBlocks(markdown: string): FencedBlock[] {
  const lines = markdown.split('\n');
  const blocks: FencedBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE_OPEN.exec(lines[i] as string);
    if (!open) continue;
    const fence = open[1] as string;
    const closing = new RegExp(`^ {0,3}${fence[0] === '`' ? '`' : '~'}{${fence.length},}\\s*$`);
    let j = i + 1;
    while (j < lines.length && !closing.test(lines[j] as string)) j++;
    const body = lines.slice(i + 1, j);
    blocks.push({
      language: (open[2] as string).toLowerCase(),
      openLine: i,
      closeLine: Math.min(j, lines.length - 1),
      content: body.map((l) => `${l}\n`).join(''),
    });
    i = j;
  }
  return blocks;
}

/** The 0-based lines that belong to fenced code blocks, fences included. */
export function fencedLines(markdown: string): Set<number> {
  const lines = new Set<number>();
  for (const b of fencedBlocks(markdown)) for (let i = b.openLine; i <= b.closeLine; i++) lines.add(i);
  return lines;
}

/** Every include marker outside code blocks, with the block that follows it (blank lines allowed between). */
export function findIncludes(markdown: string): Include[] {
  const lines = markdown.split('\n');
  const blocks = fencedBlocks(markdown);
  const fenced = fencedLines(markdown);
  const includes: Include[] = [];
  lines.forEach((line, n) => {
    const m = INCLUDE.exec(line);
    if (!m || fenced.has(n)) return;
    let next = n + 1;
    while (next < lines.length && (lines[next] as string).trim() === '') next++;
    const include: Include = { markerLine: n, file: m[1] as string };
    if (m[2]) include.region = m[2];
    const block = blocks.find((b) => b.openLine === next);
    if (block) include.block = block;
    includes.push(include);
  });
  return includes;
}

function dedent(lines: string[]): string[] {
  const indents = lines.filter((l) => l.trim() !== '').map((l) => /^[ \t]*/.exec(l)![0].length);
  const cut = indents.length ? Math.min(...indents) : 0;
  return lines.map((l) => l.slice(cut));
}

/**
 * What a snippet of a file shows: the whole file, or one named region, without region marker
 * lines. An unknown or unclosed region is an error naming the file and the regions it has.
 */
export function extractSnippet(fileText: string, file: string, region?: string): string {
  const lines = fileText.replace(/\n$/, '').split('\n');
  const isMarker = (l: string) => REGION_START.test(l) || REGION_END.test(l);
  if (region === undefined) return lines.filter((l) => !isMarker(l)).map((l) => `${l}\n`).join('');

  const start = lines.findIndex((l) => REGION_START.exec(l)?.[1] === region);
  if (start < 0) {
    const known = lines.map((l) => REGION_START.exec(l)?.[1]).filter(Boolean);
    throw new Error(
      `${file} has no region '${region}' (mark one with '# region: ${region}' … '# endregion'); ` +
        `regions in it: ${known.join(', ') || 'none'}`,
    );
  }
  let depth = 0;
  let end = -1;
  for (let i = start + 1; i < lines.length; i++) {
    const l = lines[i] as string;
    if (REGION_START.test(l)) depth++;
    else if (REGION_END.test(l)) {
      if (depth === 0) { end = i; break; }
      depth--;
    }
  }
  if (end < 0) throw new Error(`${file}: region '${region}' is never closed with '# endregion'`);
  return dedent(lines.slice(start + 1, end).filter((l) => !isMarker(l))).map((l) => `${l}\n`).join('');
}

export interface SnippetProblem {
  /** The page, as given. */
  doc: string;
  /** 1-based line in the page. */
  line: number;
  message: string;
}

export interface SnippetCheck {
  problems: SnippetProblem[];
  /** The page with every drifted include block rewritten from its file. */
  updated: string;
}

/**
 * Checks one Markdown page: every include names a file that exists and is followed by a fenced
 * block equal to the file's snippet; every block in a config language is an include.
 * `readFile(path)` returns a root-relative file's text, or undefined when it does not exist.
 */
export function checkSnippets(doc: string, markdown: string, readFile: (path: string) => string | undefined): SnippetCheck {
  const problems: SnippetProblem[] = [];
  const lines = markdown.split('\n');
  const includes = findIncludes(markdown);
  const replacements: Array<{ block: FencedBlock; content: string }> = [];

  for (const inc of includes) {
    const where = `${inc.file}${inc.region ? `#${inc.region}` : ''}`;
    const text = readFile(inc.file);
    if (text === undefined) {
      problems.push({ doc, line: inc.markerLine + 1, message: `includes ${inc.file}, which does not exist (fix the path in the marker, or add the file)` });
      continue;
    }
    if (!inc.block) {
      problems.push({ doc, line: inc.markerLine + 1, message: `the include of ${where} is not followed by a fenced code block (put \`\`\` … \`\`\` right after the marker)` });
      continue;
    }
    let want: string;
    try {
      want = extractSnippet(text, inc.file, inc.region);
    } catch (err) {
      problems.push({ doc, line: inc.markerLine + 1, message: (err as Error).message });
      continue;
    }
    if (inc.block.content !== want) {
      problems.push({ doc, line: inc.block.openLine + 1, message: `the snippet of ${where} differs from the file` });
      replacements.push({ block: inc.block, content: want });
    }
  }

  const included = new Set(includes.map((i) => i.block?.openLine));
  for (const block of fencedBlocks(markdown)) {
    if (CONFIG_LANGUAGES.has(block.language) && !included.has(block.openLine)) {
      problems.push({
        doc,
        line: block.openLine + 1,
        message: `a \`\`\`${block.language} block with no include marker: every config in the docs must be a file the suite runs ` +
          `(put '<!-- include: <path>[#region] -->' right before it, or tag it with another language if it is not a front config)`,
      });
    }
  }

  // Rewrite from the last block up, so earlier line numbers stay valid.
  const out = [...lines];
  for (const { block, content } of replacements.sort((a, b) => b.block.openLine - a.block.openLine)) {
    const opening = out[block.openLine] as string;
    const fence = /^ {0,3}(`{3,}|~{3,})/.exec(opening)![1] as string;
    const body = content.replace(/\n$/, '').split('\n');
    // A longer fence when the content itself holds one.
    const longest = Math.max(0, ...body.map((l) => /^\s*(`{3,}|~{3,})/.exec(l)?.[1]?.length ?? 0));
    const useFence = longest >= fence.length ? fence[0]!.repeat(longest + 1) : fence;
    const newOpening = opening.replace(/^( {0,3})(`{3,}|~{3,})/, `$1${useFence}`);
    out.splice(block.openLine, block.closeLine - block.openLine + 1, newOpening, ...body, useFence);
  }
  return { problems, updated: out.join('\n') };
}
