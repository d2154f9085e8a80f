/**
 * The echo page comes through the front: GET / on the front's origin (http:// or https://,
 * derived from the WebSocket URL) answers 200 with the app's page, told its WebSocket path.
 */
import { get } from 'node:https';
import { request } from 'node:http';
import { verdict } from '../check-helpers/result.js';
import type { Check, CheckContext } from '../types.js';

interface PageResponse {
  status: number;
  body: string;
}

/** The front's origin for plain HTTP: ws://h:p/ws → http://h:p/, wss:// → https://. */
export function pageUrl(wsUrl: string): string {
  const url = new URL(wsUrl);
  url.protocol = url.protocol === 'wss:' ? 'https:' : 'http:';
  url.pathname = '/';
  url.search = '';
  return url.toString();
}

/** GET `url` (https: trusting `ctx.ca`, when given), its status and the start of its body. */
export function fetchPage(url: string, ctx: Pick<CheckContext, 'ca'>, timeoutMs = 5_000): Promise<PageResponse> {
  return new Promise((resolve, reject) => {
    const onResponse = (res: import('node:http').IncomingMessage): void => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => { if (body.length < 64_000) body += chunk; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', reject);
    };
    const req = url.startsWith('https:')
      ? get(url, { ...(ctx.ca !== undefined ? { ca: ctx.ca } : {}), timeout: timeoutMs }, onResponse)
      : request(url, { timeout: timeoutMs }, onResponse).end();
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
  });
}

export function pageServed(wsPath: string): Check {
  return {
    id: 'page',
    title: 'the echo page comes through the front (GET /)',
    independent: true,
    async run(ctx) {
      const url = pageUrl(ctx.wsUrl);
      const res = await fetchPage(url, ctx);
      const isPage = res.body.includes('id="connectButton"') && res.body.includes(`<meta name="echo-ws-path" content="${wsPath}">`);
      const seen = `${res.status}, ${isPage ? 'the echo page' : `not the echo page (${JSON.stringify(res.body.slice(0, 80))})`}`;
      return verdict(res.status === 200 && isPage, seen, `200 with the echo page at ${url}`, seen);
    },
  };
}
