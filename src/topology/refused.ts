/**
 * A front that is too old for its setup's config refused it at start, as expected (the setup
 * states the version that brought the feature): the scenario reports the refusal, with the
 * version read from the image and the front's own error line, instead of running its checks.
 */
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
