/** The package's entry point (dist/index.mjs). */
export { startEchoServer, type EchoServerHandle } from './echo/server.js';
export { echoOptionSpecs, type EchoOptions } from './echo/options.js';
export type { EchoStats } from './echo/stats.js';
export { OptionError } from './options.js';
export { VERSION } from './version.js';
export { startHttpFront, type HttpFrontOptions, type HttpFrontHandle } from '../proxy/front.js';
export { ReconnectingClient, type ReconnectingClientOptions, type ClientEvents, type ClientState } from './client/reconnecting-client.js';
export { EchoSession, type EchoCounts } from './client/echo-session.js';
export { type BackoffOptions } from './client/backoff.js';
// The library for users' own suites (src/library/): a front in front of their app, and the checks.
export { WebSocketFrontContainer, StartedWebSocketFront, type NetworkRef } from './library/websocket-front-container.js';
export {
  idleCut, staysOpenWithPings, upgradeAnsweredBy, echoFidelity, openWebSocket, nextMessage,
  DEFAULT_ECHO_SIZES, DEFAULT_ECHO_TEXT,
  type WebSocketTarget, type ClientOptions,
  type IdleCutOptions, type IdleCutResult, type StaysOpenOptions, type StaysOpenResult,
  type AnsweredByOptions, type AnsweredByResult, type EchoFidelityOptions, type EchoFidelityResult, type EchoMessageResult,
} from './library/checks.js';
export { listenPorts } from './library/front-plan.js';
export { startBenchNetwork, benchLabels, benchImage, type ImageRole } from './library/run-resources.js';
export { FRONT_KINDS, type FrontKind } from './fronts/index.js';
