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
