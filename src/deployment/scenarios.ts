/**
 * The scenarios of a user's deployment: one per front setup, with the user's config (run
 * --config … --upstream) and/or the user's app image (run --app-image) in place of the bench's.
 * Each check declares what it needs of the app, so a check the app cannot serve is skipped with
 * that reason and the rest run: the handshake and who answered it, echo, close round trip, the
 * idle cut (stated, or found up to --max-idle) and the client-pings hold past it.
 */
import { KEEPALIVE_IDLE_TIMEOUT_SECONDS } from '../scenarios/catalog.js';
import { closeCodeCarried } from '../scenarios/checks/close.js';
import { clientPingsHold, handshakeThroughFront, idleCutFound, needing, type FoundIdleTimeout } from '../scenarios/checks/deployment.js';
import { echoes, payloads } from '../scenarios/checks/echo.js';
import { idleConnectionCut } from '../scenarios/checks/idle.js';
import { websocketHandledBy } from '../scenarios/checks/ownership.js';
import type { Check, Deployment, Scenario, UserApp } from '../scenarios/types.js';

/** The app's pings off: the idle checks measure the front's timeout, not the app's keepalive. */
const APP_NO_PINGS = { ECHO_KEEPALIVE_INTERVAL_MS: '0' };

export interface DeploymentScenarioInput {
  /** The front setup it runs. */
  setup: string;
  deployment: Deployment;
  /** What the config sets (ms): the user's --idle-timeout, or the bench's template's; undefined: not stated, found by holding up to maxIdleMs. */
  idleTimeoutMs?: number;
  maxIdleMs: number;
}

/** The scenario id's second part: what is the user's. */
export function deploymentName(d: Pick<Deployment, 'userConfig' | 'app'>): string {
  return d.userConfig && d.app ? 'your-config-and-app' : d.userConfig ? 'your-config' : 'your-app';
}

/**
 * A check that reads what comes back, run one at a time: a user's app may share state between
 * connections (a chat room hands each message to every member), so two echo checks side by side
 * would read each other's messages.
 */
const oneAtATime = (check: Check): Check => ({ ...check, independent: false });

function idleChecks(input: DeploymentScenarioInput): Check[] {
  if (input.idleTimeoutMs !== undefined) return [needing(idleConnectionCut(), 'websocket'), clientPingsHold()];
  const found: FoundIdleTimeout = {};
  return [idleCutFound(input.maxIdleMs, found, input.deployment.userConfig ? '--max-idle' : 'as long as the catalog holds one'), clientPingsHold(found)];
}

export function deploymentScenario(input: DeploymentScenarioInput): Scenario {
  const { deployment: d } = input;
  // The bench's template is rendered with the keepalive family's timeout (where it sets one); a
  // user's config states its own, or the cut is found.
  const stated = input.idleTimeoutMs !== undefined;
  const idleTimeoutSeconds = !d.userConfig ? KEEPALIVE_IDLE_TIMEOUT_SECONDS : stated ? (input.idleTimeoutMs as number) / 1000 : 0;
  const whose = [d.userConfig ? `your config (${d.userConfig})` : 'the bench\'s config', d.app ? `your app (${d.app.image})` : "the bench's echo app"];
  const idle = !d.userConfig
    ? (stated ? `the template's ${idleTimeoutSeconds} s` : `none in the template: looked for up to ${input.maxIdleMs / 1000} s`)
    : stated ? `${idleTimeoutSeconds} s as stated (--idle-timeout)` : `not stated: found up to ${input.maxIdleMs / 1000} s (--max-idle)`;
  return {
    id: `${input.setup}/${deploymentName(d)}`,
    family: 'deployment',
    front: input.setup,
    summary: `${whose[0]} in front of ${whose[1]}, reached at ${d.upstream.host}:${d.upstream.port}${d.wsPath}; idle timeout ${idle}`,
    idleTimeoutSeconds,
    app: APP_NO_PINGS,
    deployment: d,
    checks: [
      handshakeThroughFront(),
      needing(websocketHandledBy('app'), 'identity', 'stats', 'echo'),
      oneAtATime(needing(echoes(payloads.text), 'echo')),
      oneAtATime(needing(echoes(payloads.binary), 'echo')),
      oneAtATime(needing(echoes(payloads.large), 'echo')),
      needing(closeCodeCarried(4000, 'bye'), 'websocket'),
      ...idleChecks(input),
    ],
  };
}

/** A user's app from run's flags. */
export function userApp(o: { image: string; port: number; env: readonly string[]; command: string }): UserApp {
  const env = Object.fromEntries(o.env.map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]));
  const command = o.command.trim() === '' ? undefined : o.command.trim().split(/\s+/);
  return { image: o.image, port: o.port, env, ...(command ? { command } : {}) };
}
