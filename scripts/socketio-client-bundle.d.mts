// Types for scripts/socketio-client-bundle.mjs (vitest.config.ts and the tests import it).
import type { Plugin as EsbuildPlugin } from 'esbuild';

export declare const SOCKETIO_CLIENT_MODULE: string;
export declare const SOCKETIO_CLIENT_FILES: readonly string[];
export declare function socketioClientModule(): string;
export declare const socketioClientEsbuildPlugin: EsbuildPlugin;
export declare const socketioClientVitePlugin: {
  name: string;
  enforce: 'pre';
  resolveId(id: string): string | null;
  load(id: string): string | null;
};
