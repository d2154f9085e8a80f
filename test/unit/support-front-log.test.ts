/** Reading a front's log for the way a WebSocket came: the lines each front writes, as seen. */
import { describe, expect, it } from 'vitest';
import { loggedProtocol } from '../support/front-log.js';

const UA = '"Mozilla/5.0 (X11; Linux x86_64) HeadlessChrome/156.0.0.0"';

describe('loggedProtocol', () => {
  it('reads an access log request line for the path, over HTTP/1.1 and HTTP/2', () => {
    expect(loggedProtocol(`172.17.0.1 - - [01/Dec/2026:18:10:01 +0000] "GET / HTTP/2.0" 200 13263 "-" ${UA}\n172.17.0.1 - - [01/Dec/2026:18:10:01 +0000] "GET /ws HTTP/1.1" 101 46 "-" ${UA}`, '/ws')).toBe('http/1.1');
    expect(loggedProtocol(`172.17.0.1 - - [01/Dec/2026:18:10:01 +0000] "CONNECT /ws HTTP/2.0" 200 46 "-" ${UA}`, '/ws')).toBe('h2');
  });

  it("reads HAProxy's absolute-URL targets and Caddy's JSON lines", () => {
    expect(loggedProtocol('172.17.0.1:35756 [01/Dec/2026:18:13:43.390] websocket_in~ app/app 0/0/1/4/5 200 13477 - - ---- 1/1/0/0/0 0/0 "GET https://127.0.0.1:33550/ HTTP/2.0"\n172.17.0.1:35756 [01/Dec/2026:18:13:43.595] websocket_in~ app/app 0/0/0/4/248 101 211 - - ---- 1/1/0/0/0 0/0 "GET https://127.0.0.1:33550/ws HTTP/2.0"', '/ws')).toBe('h2');
    const caddy = (proto: string, uri: string): string => JSON.stringify({ level: 'info', logger: 'http.log.access.log0', msg: 'handled request', request: { proto, method: 'GET', host: '127.0.0.1:33562', uri }, status: 0 });
    expect(loggedProtocol(`${caddy('HTTP/2.0', '/')}\n${caddy('HTTP/1.1', '/ws')}`, '/ws')).toBe('http/1.1');
    expect(loggedProtocol(caddy('HTTP/2.0', '/ws'), '/ws')).toBe('h2');
    expect(loggedProtocol(`${caddy('HTTP/2.0', '/')}\n{"level":"info","msg":"serving initial configuration"}`, '/ws')).toBeUndefined();
  });

  it("counts nghttpx's extended CONNECT, logged by its authority, and not the page's GETs", () => {
    const logs = [
      `172.17.0.1 - - [01/Dec/2026:18:10:01 +0000] "GET / HTTP/2" 200 13263 "-" ${UA}`,
      `172.17.0.1 - - [01/Dec/2026:18:10:01 +0000] "GET /favicon.ico HTTP/2" 404 150 "https://127.0.0.1:33470/" ${UA}`,
      `172.17.0.1 - - [01/Dec/2026:18:10:01 +0000] "CONNECT 127.0.0.1:33470 HTTP/2" 101 46 "-" ${UA}`,
    ].join('\n');
    expect(loggedProtocol(logs, '/ws')).toBe('h2');
    expect(loggedProtocol(logs.split('\n').slice(0, 2).join('\n'), '/ws')).toBeUndefined();
  });

  it("reads the http-front's tunnel lines", () => {
    expect(loggedProtocol('2026-12-01T18:10:13.399Z http-front ws#1 /ws (h2): upgraded by the app at http://echo:8080', '/ws')).toBe('h2');
    expect(loggedProtocol('2026-12-01T18:10:13.399Z http-front ws#1 /ws: upgraded by the app at http://echo:8080', '/ws')).toBe('http/1.1');
    expect(loggedProtocol('2026-12-01T18:10:13.399Z http-front ws#1 /other: upgraded by the app at http://echo:8080', '/ws')).toBeUndefined();
  });

  it('says the last WebSocket request when there are several (a fallback after an HTTP/2 attempt)', () => {
    expect(loggedProtocol('x "CONNECT /ws HTTP/2.0" 400\ny "GET /ws HTTP/1.1" 101', '/ws')).toBe('http/1.1');
  });
});
