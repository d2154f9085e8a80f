/**
 * The browser tests are one file (test/containers/browser/pages.test.ts): every front of every
 * part starts first, the host's addresses settle once, and the pages load before anything stops.
 * Two files would each start and stop fronts, each waiting out the other's address changes.
 */
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { projectPath } from '../../src/paths.js';

describe('the browser tests', () => {
  it('are one file (test/containers/browser/pages.test.ts): add a part to it, not a file beside it', () => {
    const files = readdirSync(projectPath('test/containers/browser'), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.test.ts'));
    expect(files).toEqual(['pages.test.ts']);
  });
});
