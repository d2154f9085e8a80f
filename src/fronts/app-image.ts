/** The image the echo app runs in: the node role, which the http-front (a Node program too) shares. */
import { versionAfter, type ImageSpec, type VersionProbe } from './types.js';

export const NODE_IMAGE: ImageSpec<'node'> = {
  role: 'node',
  envVar: 'WS_PROXY_BENCH_IMAGE_NODE',
  summary: 'runs the echo app and the http-proxy front (bundles copied under /app)',
  debianPackages: ['nodejs'],
};

/** The Node.js a node-role container runs: "v20.19.2". */
export const NODE_VERSION: VersionProbe = { command: ['node', '--version'], of: 'Node.js', parse: versionAfter(/^/m) };
