/**
 * The browser tests run in the unit tests' group (vitest.config.ts), where files run side by side:
 * two browser files would each start fronts (changing the host's addresses) while the other loads
 * a page, which Chromium aborts. So they are one file, whose parts run one after the other.
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
