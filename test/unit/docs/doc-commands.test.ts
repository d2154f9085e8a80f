/**
 * Every command line in the docs' shell blocks works as written in a fresh clone after the
 * README's setup: CLI lines are parsed by their command's own option specs (the quick ones run),
 * and a line that cannot run here says why ("# needs Docker"). The convention is in
 * docs/architecture.md; the checks in test/support/docs/commands.ts.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { projectPath } from '../../../src/paths.js';
import { CLI_COMMANDS, classify, docCommands, lexShellLine, packageScripts, pageProblems } from '../../support/docs/commands.js';
import { docPages } from '../../support/docs/pages.js';

const scripts = packageScripts();

describe('docs commands: the extractor', () => {
  it('splits chains and pipes, keeps quotes, takes out the trailing comment', () => {
    expect(lexShellLine(`npm ci && npm run build | tee "a b.log"; echo 'x # y'   # the # note`)).toEqual({
      segments: [
        { words: ['npm', 'ci'], text: 'npm ci' },
        { words: ['npm', 'run', 'build'], text: 'npm run build' },
        { words: ['tee', 'a b.log'], text: 'tee "a b.log"' },
        { words: ['echo', 'x # y'], text: "echo 'x # y'" },
      ],
      note: 'the # note',
    });
  });

  it('reads sh, bash and console blocks only, joins continuations, and takes env prefixes apart', () => {
    const md = [
      '```sh',
      '# a comment line',
      'SOCKETIO_REPLICA_ID=a node dist/socketio-server.mjs \\',
      '  --port 8080   # two lines',
      '```',
      '```console',
      '$ node dist/cli.mjs serve --help',
      'Usage: …',
      '```',
      '```nginx',
      'node dist/cli.mjs not a shell block',
      '```',
    ].join('\n');
    expect(docCommands(md)).toEqual([
      { line: 3, text: 'SOCKETIO_REPLICA_ID=a node dist/socketio-server.mjs --port 8080', words: ['node', 'dist/socketio-server.mjs', '--port', '8080'], env: { SOCKETIO_REPLICA_ID: 'a' }, note: 'two lines' },
      { line: 7, text: 'node dist/cli.mjs serve --help', words: ['node', 'dist/cli.mjs', 'serve', '--help'], env: {}, note: '' },
    ]);
  });

  it('tells CLI lines, setup lines and lines that need something apart', () => {
    expect(classify(['node', 'dist/cli.mjs', 'run', '--front', 'nginx'], scripts)).toEqual({ kind: 'cli', command: 'run', argv: ['--front', 'nginx'] });
    expect(classify(['npm', 'run', 'bench', '--', '--local'], scripts)).toEqual({ kind: 'cli', command: 'run', argv: ['--local'] });
    expect(classify(['npm', 'start'], scripts)).toEqual({ kind: 'cli', command: 'serve', argv: [] });
    expect(classify(['npm', 'ci'], scripts)).toEqual({ kind: 'setup' });
    expect(classify(['npx', 'vitest', 'run', '--project', 'unit'], scripts)).toEqual({ kind: 'setup' });
    expect(classify(['npx', 'vitest', 'run', '--project', 'containers'], scripts)).toMatchObject({ kind: 'needs-note' });
    expect(classify(['docker', 'compose', 'up'], scripts)).toMatchObject({ kind: 'needs-note' });
    expect(classify(['npx', 'ws-proxy-bench', 'run'], scripts)).toMatchObject({ kind: 'wrong' });
    expect(classify(['npm', 'run', 'no-such-script'], scripts)).toEqual({ kind: 'wrong', why: "package.json has no script 'no-such-script'" });
  });

  it('knows every command src/cli.ts dispatches', () => {
    const cli = readFileSync(projectPath('src/cli.ts'), 'utf8');
    const listed = [...cli.matchAll(/^ {2}([a-z]+): \{$/gm)].map((m) => m[1]);
    expect(Object.keys(CLI_COMMANDS).sort()).toEqual(listed.sort());
    // The documented entry is the one the build writes.
    expect(readFileSync(projectPath('scripts/build.mjs'), 'utf8')).toContain("{ entry: 'src/cli.ts', out: 'dist/cli.mjs'");
  });

  it('fails a doc line with a bad flag, a bare duration, a wrong invocation or a missing note, naming page and line', async () => {
    const md = [
      'Try:',
      '',
      '```sh',
      'node dist/cli.mjs serve --bogus',
      'node dist/cli.mjs serve --keep-alive-interval 30',
      'npx ws-proxy-bench probe ws://127.0.0.1:8080/ws',
      'node dist/cli.mjs run --front nowhere',
      'node dist/cli.mjs run --config nginx=./mine.conf.template',
      'node dist/cli.mjs render nginx/ws-proxy.conf.template --var UPSTREAM=a:1',
      'node dist/cli.mjs front --help',
      'docker compose up',
      'docker compose up   # needs Docker',
      'cp nginx/ws-proxy.conf.template mine.conf.template',
      'node dist/cli.mjs run --config nginx=./mine.conf.template',
      '```',
    ].join('\n');
    const problems = await pageProblems('docs/sample.md', md, scripts);
    expect(problems).toHaveLength(7);
    expect(problems[0]).toMatch(/^docs\/sample\.md:4: node dist\/cli\.mjs serve --bogus: serve: unknown option '--bogus'/);
    expect(problems[1]).toMatch(/^docs\/sample\.md:5: .*: serve: --keep-alive-interval 30: give a unit, e\.g\. 30s or 30ms$/);
    expect(problems[2]).toMatch(/^docs\/sample\.md:6: .*npx finds no ws-proxy-bench bin/);
    expect(problems[3]).toMatch(/^docs\/sample\.md:7: .*invalid --front/);
    expect(problems[4]).toMatch(/^docs\/sample\.md:8: .*no file at .*mine\.conf\.template/);
    expect(problems[5]).toMatch(/^docs\/sample\.md:9: .*no value for \$\{LISTEN_PORT\}/);
    expect(problems[6]).toMatch(/^docs\/sample\.md:11: docker compose up: docker cannot run in the docs test/);
    expect(problems.join('\n')).not.toMatch(/:(10|12|13|14): /);
  });

  it('asks a line that cannot run here to say why', async () => {
    const problems = await pageProblems('docs/sample.md', '```sh\ndocker compose up\n```\n', scripts);
    expect(problems).toEqual(['docs/sample.md:2: docker compose up: docker cannot run in the docs test; say why on the line (a trailing comment such as "# needs Docker")']);
  });
});

describe('docs commands: every page', () => {
  for (const page of docPages()) {
    it(`${page}: every command line works as written, or says why it cannot run here`, { timeout: 30_000 }, async () => {
      const problems = await pageProblems(page, readFileSync(projectPath(page), 'utf8'), scripts);
      expect(problems.join('\n'), problems.join('\n')).toBe('');
    });
  }
});
