/** Temp folders for one test: made under the system's temp dir, removed when the test ends, passed or failed. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onTestFinished } from 'vitest';

/**
 * A new folder named `<prefix>XXXXXX`, removed with everything in it when the running test
 * finishes. Call it before the test's first await: in a describe.concurrent block, after an
 * await another test (or none) may be the one vitest knows as running, and onTestFinished then
 * refuses the call or attaches it elsewhere (the probe's tests are concurrent).
 */
export function testTempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}
