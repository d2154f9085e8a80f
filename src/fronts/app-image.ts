/** The image the echo app runs in: the node role, which the http-front (a Node program too) shares. */
import type { ImageSpec } from './types.js';

export const NODE_IMAGE: ImageSpec<'node'> = {
  role: 'node',
  envVar: 'WS_PROXY_BENCH_IMAGE_NODE',
  summary: 'runs the echo app and the http-proxy front (bundles copied under /app)',
  debianPackages: ['nodejs'],
};
