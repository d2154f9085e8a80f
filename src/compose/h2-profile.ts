/**
 * docker-compose.yml's profile "h2": every front that advertises extended CONNECT (RFC 8441,
 * WebSockets over HTTP/2), each terminating TLS with h2 on a port of its own. Each service is
 * named like the front setup it runs (src/fronts/), runs that setup's command with its config
 * rendered by `ws-proxy-bench render --compose`, and mounts the certificate `ws-proxy-bench cert`
 * writes where the setup's `tls` says.
 */
import { COMPOSE_SERVICES } from './services.js';

export interface ComposeH2Service {
  /** The front setup, which is also the compose service's name. */
  setup: string;
  /** The variable that moves its published port. */
  portVar: string;
  /** Its published port on 127.0.0.1 when the variable is not set. */
  defaultPort: number;
}

/** Profile h2's lines of the compose services table (src/compose/services.ts). */
export const COMPOSE_H2_SERVICES: readonly ComposeH2Service[] = COMPOSE_SERVICES.flatMap((s) => {
  if (s.profile !== 'h2') return [];
  if (s.setup !== s.service) throw new Error(`profile h2's service ${s.service} must be named like its setup (${String(s.setup)})`);
  return [{ setup: s.setup, portVar: s.portVar, defaultPort: s.defaultPort }];
});

/** The folder the profile's certificate is read from (and `ws-proxy-bench cert` writes to), relative to the project. */
export const COMPOSE_TLS_DIR = 'build/compose-tls';
/** Moves that folder, for compose and `ws-proxy-bench cert` alike. */
export const COMPOSE_TLS_DIR_ENV = 'WS_PROXY_BENCH_COMPOSE_TLS_DIR';
/** The file names in it: the certificate (self-signed, so also the CA to trust) and its key. */
export const COMPOSE_TLS_FILES = { cert: 'cert.pem', key: 'key.pem' } as const;
