/** Where things are on a scenario's network, and the values its front configs are rendered with. */
import { DEFAULT_WORKER_CONNECTIONS, DRAIN_TIMEOUT_SECONDS, HEADER_TIMEOUT_SECONDS, replicaVars, upstreamVars, WS_HANDLER_ALIAS, workerLimits, type FrontVars } from '../fronts/vars.js';
import type { Scenario } from '../scenarios/types.js';
import { APP_KINDS } from './apps.js';

/** Fronts and the app listen on 8080 on the scenario's network. */
export const FRONT_PORT = 8080;
export const APP_ALIAS = 'echo';
export const APP_PORT = 8080;
export const WS_PATH = '/ws';

/** The network aliases of an app's replicas, when a front balances over several: app-1, app-2, … */
export function replicaAliases(n: number): string[] {
  return Array.from({ length: n }, (_, i) => `app-${i + 1}`);
}

/** The values a scenario's front config is rendered with. */
export function frontVars(scenario: Pick<Scenario, 'idleTimeoutSeconds' | 'appKind'>): FrontVars {
  return {
    ...upstreamVars(APP_ALIAS, APP_PORT),
    ...replicaVars(replicaAliases(2), APP_PORT),
    LISTEN_PORT: FRONT_PORT,
    IDLE_TIMEOUT_SECONDS: scenario.idleTimeoutSeconds,
    WS_PATH: APP_KINDS[scenario.appKind ?? 'echo'].path,
    WS_HANDLER: `${WS_HANDLER_ALIAS}:${FRONT_PORT}`,
    ...workerLimits(DEFAULT_WORKER_CONNECTIONS),
    HEADER_TIMEOUT_SECONDS,
    DRAIN_TIMEOUT_SECONDS,
  };
}
