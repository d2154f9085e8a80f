import { expect } from 'vitest';
import { docker } from '../../../src/containers/docker.js';
import { ALIAS_LABEL, currentRunId, RUN_LABEL } from '../../../src/containers/labels.js';

/** The id of this run's one running container with that network alias (the harness labels it). */
export async function containerOf(alias: string): Promise<string> {
  const ps = await docker(['ps', '-q', '--filter', `label=${RUN_LABEL}=${currentRunId()}`, '--filter', `label=${ALIAS_LABEL}=${alias}`]);
  const ids = ps.stdout.split('\n').filter(Boolean);
  expect(ids, alias).toHaveLength(1);
  return ids[0] as string;
}
