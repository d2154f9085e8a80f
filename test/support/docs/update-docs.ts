/**
 * The docs-regeneration switch: WS_PROXY_BENCH_UPDATE_DOCS=1 lets the docs tests rewrite README.md
 * and docs/ from the code instead of failing on drift. Never under CI: a CI run is there to check
 * the committed docs against the code, and one that rewrote them would pass on drift it hid.
 * Every test that honours the switch reads it through `updateDocsRequested()`.
 */
export const UPDATE_DOCS_VARIABLE = 'WS_PROXY_BENCH_UPDATE_DOCS';

/** CI as CI services set it (CI=true, CI=1); empty, "false" and "0" are not CI. */
export function isCi(env: NodeJS.ProcessEnv): boolean {
  const value = env.CI?.trim().toLowerCase();
  return value !== undefined && value !== '' && value !== 'false' && value !== '0';
}

/** Whether to rewrite the docs; throws, saying why, when the switch is set under CI. */
export function updateDocsRequested(env: NodeJS.ProcessEnv = process.env): boolean {
  const value = env[UPDATE_DOCS_VARIABLE];
  if (value !== undefined && value !== '' && isCi(env)) {
    throw new Error(
      `${UPDATE_DOCS_VARIABLE}=${value} is refused under CI (CI=${env.CI ?? ''}): a CI run checks the committed docs against the code and must not rewrite them. ` +
        `Unset ${UPDATE_DOCS_VARIABLE} in CI; to regenerate the docs, run it locally and commit the result.`,
    );
  }
  return value === '1';
}
