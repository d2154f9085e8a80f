// Types for scripts/page-reconnect-bundle.mjs (vitest.config.ts imports it).
import type { Plugin as EsbuildPlugin } from 'esbuild';

export declare const PAGE_RECONNECT_MODULE: string;
export declare const PAGE_RECONNECT_ENTRY: string;
export declare function buildPageReconnect(): string;
export declare const pageReconnectEsbuildPlugin: EsbuildPlugin;
export declare const pageReconnectVitePlugin: {
  name: string;
  enforce: 'pre';
  resolveId(id: string): string | null;
  load(id: string): string | null;
};
