/**
 * A front that is too old for its setup's config refused it at start, as expected (the setup
 * states the version that brought the feature): the scenario reports the refusal, with the
 * version read from the image and the front's own error line, instead of running its checks.
 */
import { compareVersions } from '../fronts/types.js';
import type { FrontSetup } from '../fronts/index.js';
import type { FrontHandle } from './handles.js';

export class ConfigRefusedByVersion extends Error {
  override name = 'ConfigRefusedByVersion';
  constructor(
    readonly kind: string,
    readonly version: string,
    readonly needs: { version: string; feature: string },
    /** The front's own error line. */
    readonly line: string,
  ) {
    super(`${kind} ${version} refuses the config (${needs.feature} needs ${needs.version} or later): ${line}`);
  }
}

/**
 * A setup that needs a newer front than some images have (its `needs`) starts as any other. If the
 * front refuses the config, the image's version (read in a throwaway container, on this path
 * only) says whether that refusal is the verdict: too old, and the front's own error line (where
 * its output reached us, else the start error's first line) is the scenario's outcome. If it
 * starts, its running binary must be new enough: an old front that takes the config after all is
 * a failure, the setup's `needs` is wrong.
 */
export async function startNeeding(
  needs: NonNullable<FrontSetup['needs']>, setup: Pick<FrontSetup, 'kind' | 'name'>, start: () => Promise<FrontHandle>, imageVersionOf: () => Promise<string | undefined>,
  keep: (part: FrontHandle) => FrontHandle,
): Promise<FrontHandle> {
  let front: FrontHandle;
  try {
    front = keep(await start());
  } catch (err) {
    const version = await imageVersionOf();
    if (version === undefined || compareVersions(version, needs.version) >= 0) throw err;
    const message = err instanceof Error ? err.message : String(err);
    const line = message.split('\n').find((l) => needs.refusal.test(l)) ?? message.split('\n')[0] ?? message;
    throw new ConfigRefusedByVersion(setup.kind, version, needs, line.trim());
  }
  const version = await front.version();
  if (compareVersions(version, needs.version) < 0) {
    throw new Error(`${setup.kind} ${version} took the config of setup '${setup.name}', which says ${needs.feature} needs ${needs.version}: correct its \`needs\``);
  }
  return front;
}
