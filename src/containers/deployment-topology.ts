/**
 * A user's deployment in containers (run --config … --upstream, run --app-image): the app under
 * the alias and port the front's config proxies to (the bench's echo app, or the user's image),
 * then the front with that config, published on the port the config listens on. A config the
 * front refuses is reported by the front's own error line.
 */
import { frontDescriptor, frontSetup } from '../fronts/index.js';
import { upstreamVars } from '../fronts/vars.js';
import type { Deployment, Scenario } from '../scenarios/types.js';
import type { FrontHandle } from '../topology/handles.js';
import { assembleTopology, type Topology, type TopologyOptions } from '../topology/topology.js';
import { frontVars } from '../topology/values.js';
import { startEchoApp } from './app-container.js';
import { createNetwork } from './runtime.js';
import { imageOption, startCompanions, startSetup } from './topology.js';
import { startUserApp } from './user-app-container.js';

/** The line of a front's start output that says why it refused a config (nginx's [emerg], HAProxy's [ALERT], httpd's and Caddy's errors). */
export function refusalLine(output: string): string | undefined {
  const lines = output.split('\n').map((l) => l.trim()).filter(Boolean);
  return lines.find((l) => /\[(emerg|alert|crit)\]|\[ALERT\]|AH0\d+:|Syntax error|Error:|\berror\b|invalid|unknown|not allowed/i.test(l) && !/did not start/.test(l));
}

export class ConfigRefused extends Error {}

export async function startDeploymentTopology(scenario: Scenario, deployment: Deployment, options: TopologyOptions = {}): Promise<Topology> {
  const lookup = options.setup ?? frontSetup;
  const setup = lookup(scenario.front);
  const network = await createNetwork();
  const { upstream, wsPath, app: userApp } = deployment;
  const vars = { ...frontVars(scenario), ...upstreamVars(upstream.host, upstream.port), LISTEN_PORT: deployment.listenPort, WS_PATH: wsPath };
  return assembleTopology(scenario, async (keep) => {
    const nodeImage = options.images?.node;
    const app = keep(userApp
      ? await startUserApp({ network, alias: upstream.host, app: userApp, wsPath })
      : await startEchoApp({ network, alias: upstream.host, port: upstream.port, env: { ...scenario.app, ECHO_PATH: wsPath }, ...(nodeImage ? { image: nodeImage } : {}) }));
    await startCompanions(network, setup, lookup, vars, options, keep);
    let front: FrontHandle;
    try {
      front = keep(await startSetup(network, setup, 'front', vars, { ...imageOption(options, setup), port: deployment.listenPort }));
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      const line = deployment.userConfig ? refusalLine(message.split('\n').slice(1).join('\n')) : undefined;
      if (!line) throw err;
      throw new ConfigRefused(`${frontDescriptor(setup.kind).title} refused ${deployment.userConfig}: "${line}"`, { cause: err });
    }
    return { app, front };
  }, () => network.stop());
}
