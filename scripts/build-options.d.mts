// Types for scripts/build-options.mjs, for the TypeScript tests that import it.
import type { BuildOptions } from 'esbuild';

export declare const root: string;
export declare const common: BuildOptions & { banner: { js: string } };
export declare const containerBundles: ReadonlyArray<{ entry: string; out: string }>;
