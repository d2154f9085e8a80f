/**
 * Which app a request goes to when the front has several (`--target` repeated, or a comma list):
 * the next one in turn, request by request and upgrade by upgrade (round robin). With
 * `--sticky cookie` a response from a target carries `Set-Cookie: wspb-target=<its index>`
 * (0 for the first `--target`), and a request that brings the cookie back, a WebSocket upgrade
 * included, goes to that target. A cookie naming no target is ignored (and replaced). There are
 * no health checks and no retries: a request sent to a target that is down gets the front's 502.
 * With one target every request goes to it, as before there were several.
 */
import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';
import type { FrontOptions } from './options.js';

/** The cookie that pins a client to a target (`--sticky cookie`). */
export const STICKY_COOKIE = 'wspb-target';

/** One of the front's targets: its place in the `--target` list and its URL. */
export interface Target {
  index: number;
  url: string;
}

/** Request headers as HTTP/1.1 and h2 requests both carry them (h2 joins its cookie headers). */
type RequestHeaders = { cookie?: string | string[] | undefined };

export interface Balancer {
  readonly targets: readonly Target[];
  /** The target for a request: the one its sticky cookie names, else the next in turn. */
  pick(request: RequestHeaders): Target;
  /**
   * Adds the sticky cookie to the headers of a response from `target`, unless the request
   * already named that target (or stickiness is off). Other Set-Cookie headers are kept.
   */
  stick(response: IncomingHttpHeaders | OutgoingHttpHeaders, request: RequestHeaders, target: Target): void;
}

/** The target index a request's cookie header names, if it names one of `count`. */
export function stickyIndex(cookie: string | string[] | undefined, count: number): number | undefined {
  const text = Array.isArray(cookie) ? cookie.join('; ') : cookie ?? '';
  for (const pair of text.split(';')) {
    const eq = pair.indexOf('=');
    if (eq < 0 || pair.slice(0, eq).trim() !== STICKY_COOKIE) continue;
    const raw = pair.slice(eq + 1).trim();
    const index = /^\d{1,6}$/.test(raw) ? Number(raw) : NaN;
    if (index < count) return index;
  }
  return undefined;
}

/** The Set-Cookie value that pins a client to target `index`. */
export function stickyCookie(index: number): string {
  return `${STICKY_COOKIE}=${index}; Path=/; HttpOnly; SameSite=Lax`;
}

export function createBalancer(options: Pick<FrontOptions, 'target' | 'sticky'>): Balancer {
  const targets: Target[] = options.target.map((url, index) => ({ index, url }));
  if (targets.length === 0) throw new Error('http-front: no --target to proxy to');
  const sticky = options.sticky === 'cookie';
  let next = 0;
  return {
    targets,
    pick(request) {
      const pinned = sticky ? stickyIndex(request.cookie, targets.length) : undefined;
      if (pinned !== undefined) return targets[pinned] as Target;
      const target = targets[next] as Target;
      next = (next + 1) % targets.length;
      return target;
    },
    stick(response, request, target) {
      if (!sticky || stickyIndex(request.cookie, targets.length) === target.index) return;
      const existing = response['set-cookie'];
      const list = existing === undefined ? [] : Array.isArray(existing) ? existing : [String(existing)];
      response['set-cookie'] = [...list, stickyCookie(target.index)];
    },
  };
}
