/**
 * Front WebSocket handling off: the upgrade is forwarded to the app (the target the balancer
 * picks) with http-proxy's `proxy.ws()` and the two sockets are piped together. The front only
 * watches: it cuts both legs when either has been idle for the idle timeout, answers 502 when the
 * app cannot be reached before the handshake (504 when it accepts but does not answer within the
 * idle timeout), and drops the client (1006) when the app's socket fails after the handshake.
 */
import type { ClientRequest, IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type httpProxy from 'http-proxy';
import type { Balancer, Target } from './balancer.js';
import { alignUpgradeForwardedHeaders } from './forwarded.js';
import { cutWhenIdle } from './idle.js';
import type { FrontLog } from './log.js';
import type { FrontOptions } from './options.js';
import { boundConnect } from './connect-timeout.js';
import { answerRawSocket, errorText, unreachableAnswer } from './raw-response.js';

/** One forwarded WebSocket: the client's socket and, once the app answered, the app's. */
interface Tunnel {
  id: number;
  path: string;
  /** The app this upgrade was sent to. */
  target: Target;
  client: Socket;
  upstream?: Socket;
  proxyReq?: ClientRequest;
  /** The app's answer (101 or a refusal) is on its way to the client: a 502 can no longer be sent. */
  answered: boolean;
  /** The front answered the handshake itself (502, 504): later errors of the app's leg are moot. */
  refused: boolean;
  startedAt: number;
  /** Why it ended, for the close log line; the first reason wins. */
  ending?: string;
}

export interface PassThrough {
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  /** Destroys every open tunnel (front shutdown). */
  closeAll(): void;
}

export function createPassThrough(
  proxy: httpProxy,
  balancer: Balancer,
  options: Pick<FrontOptions, 'idleTimeout' | 'connectTimeout' | 'forwardedHeaders'>,
  log: FrontLog,
): PassThrough {
  const byClient = new WeakMap<Duplex, Tunnel>();
  const byUpstream = new WeakMap<Duplex, Tunnel>();
  const open = new Set<Tunnel>();
  let nextId = 1;

  const cut = (tunnel: Tunnel, reason: string): void => {
    tunnel.ending ??= reason;
    tunnel.proxyReq?.destroy();
    tunnel.upstream?.destroy();
    tunnel.client.destroy();
  };

  proxy.on('proxyReqWs', (proxyReq, req, socket) => {
    const tunnel = byClient.get(socket);
    if (!tunnel) return;
    tunnel.proxyReq = proxyReq;
    boundConnect(proxyReq, tunnel.target.url, options.connectTimeout);
    if (options.forwardedHeaders) alignUpgradeForwardedHeaders(proxyReq, req);
    // Registered before http-proxy's own listeners, so these run first: the sticky cookie is
    // added to the app's answer before http-proxy writes it to the client.
    proxyReq.once('response', (res) => {
      tunnel.answered = true;
      balancer.stick(res.headers, req.headers, tunnel.target);
      log(`ws#${tunnel.id} ${tunnel.path}: the app refused the upgrade with ${res.statusCode ?? '?'}`);
    });
    proxyReq.once('upgrade', (res, upstream: Socket) => {
      tunnel.answered = true;
      balancer.stick(res.headers, req.headers, tunnel.target);
      tunnel.upstream = upstream;
      byUpstream.set(upstream, tunnel);
    });
  });

  // Emitted once http-proxy has piped the sockets (and reset their timeouts to 0).
  proxy.on('open', (upstream) => {
    const tunnel = byUpstream.get(upstream);
    if (!tunnel) return;
    log(`ws#${tunnel.id} ${tunnel.path}: upgraded by the app at ${tunnel.target.url}`);
    cutWhenIdle(upstream, options.idleTimeout, () => onIdle(tunnel, 'app side'));
    // The pipes end the other leg on a clean close; these also cover a leg that closes on error.
    upstream.once('close', () => {
      tunnel.ending ??= 'the app closed';
      if (!tunnel.client.destroyed) tunnel.client.end();
    });
  });

  /** The front answers the handshake itself, before the app did; then the app's leg is dropped. */
  const refuse = (tunnel: Tunnel, status: 502 | 504, body: string, reason: string): void => {
    tunnel.refused = true;
    tunnel.ending ??= reason;
    answerRawSocket(tunnel.client, status, body);
    tunnel.proxyReq?.destroy();
  };

  const onError = (tunnel: Tunnel, err: Error): void => {
    if (tunnel.refused) return;
    if (!tunnel.answered) {
      const answer = unreachableAnswer(tunnel.target.url, err);
      refuse(tunnel, answer.status, answer.body, `app unreachable (${errorText(err)}, ${answer.status})`);
      return;
    }
    cut(tunnel, `app connection failed (${errorText(err)})`);
  };

  const onIdle = (tunnel: Tunnel, side: string): void => {
    if (tunnel.refused) {
      // Answered and ended by the front, but the client has not closed its side: drop it.
      tunnel.client.destroy();
      return;
    }
    if (!tunnel.answered) {
      // As nginx does when its read timeout passes before the app answered.
      refuse(tunnel, 504, `504 Gateway Timeout: ${tunnel.target.url} did not answer the upgrade within ${options.idleTimeout} ms`,
        `the app did not answer within ${options.idleTimeout} ms (504)`);
      return;
    }
    cut(tunnel, `idle for ${options.idleTimeout} ms (${side})`);
  };

  return {
    handleUpgrade(req, duplex, head) {
      const client = duplex as Socket;
      const target = balancer.pick(req.headers);
      const tunnel: Tunnel = { id: nextId++, path: req.url ?? '/', target, client, answered: false, refused: false, startedAt: performance.now() };
      byClient.set(client, tunnel);
      open.add(tunnel);
      client.on('error', (err) => { tunnel.ending ??= `client error (${errorText(err)})`; });
      client.once('close', () => {
        open.delete(tunnel);
        tunnel.ending ??= 'the client closed';
        if (tunnel.upstream && !tunnel.upstream.destroyed) tunnel.upstream.end();
        if (!tunnel.answered) tunnel.proxyReq?.destroy();
        const seconds = ((performance.now() - tunnel.startedAt) / 1000).toFixed(2);
        log(`ws#${tunnel.id} ${tunnel.path}: closed after ${seconds} s: ${tunnel.ending}`);
      });
      proxy.ws(req, client, head, { target: target.url }, (err) => onError(tunnel, err));
      // http-proxy has just reset the client's timeout (it does not touch it again): arm it now,
      // so a handshake the app never answers gets a 504 at the idle timeout.
      cutWhenIdle(client, options.idleTimeout, () => onIdle(tunnel, 'client side'));
    },
    closeAll() {
      for (const tunnel of open) cut(tunnel, 'the front is shutting down');
    },
  };
}
