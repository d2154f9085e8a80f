/**
 * The Node services' healthcheck in docker-compose.yml (the app, the http-proxy fronts, the
 * socket.io replicas): one shared check, run here by bash as the container runs it, against an
 * in-process server on the port it asks: healthy only on a 200 from /healthz.
 */
import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readComposeFile } from '../../support/compose-file.js';

const run = promisify(execFile);
/** The plain-HTTP ones: profile h2's TLS front has the h2 fronts' own check (a TCP connect). */
const nodeServices = readComposeFile().filter((s) => s.command?.[0] === 'node' && !s.profiles.includes('h2'));
const check = nodeServices[0]?.healthcheck?.test ?? [];

/** The check's exit code against 127.0.0.1:`port` instead of the container's 8080 (compose's `$$` is a `$`). */
async function exitCode(port: number): Promise<number> {
  const [kind, cmd = '', ...args] = check;
  expect(kind).toBe('CMD');
  const argv = args.map((a) => a.replaceAll('127.0.0.1/8080', `127.0.0.1/${port}`).replaceAll('$$', '$'));
  return run(cmd, argv, { timeout: 5_000 }).then(() => 0, (err: { code?: number }) => err.code ?? -1);
}

describe('the Node services\' healthcheck', () => {
  let status = 200;
  const paths: string[] = [];
  let server: Server;
  let port = 0;

  beforeAll(async () => {
    server = createServer((req, res) => { paths.push(req.url ?? ''); res.writeHead(req.url === '/healthz' ? status : 404).end('ok'); });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise((r) => server.close(r)));

  it('is one check for every Node service, and starts no second Node process (too slow on a loaded machine)', () => {
    expect(nodeServices.map((s) => s.name)).toEqual(expect.arrayContaining(['echo', 'http-front', 'socketio-1', 'socketio-2']));
    for (const s of nodeServices) expect(s.healthcheck?.test, s.name).toEqual(check);
    expect(check.slice(0, 2)).toEqual(['CMD', 'bash']);
    expect(check.join(' ')).not.toMatch(/\bnode\b/);
  });

  it('passes on a 200 from /healthz, fails on a 503 and when nothing listens', async () => {
    status = 200;
    expect(await exitCode(port)).toBe(0);
    expect(paths.at(-1)).toBe('/healthz');
    status = 503;
    expect(await exitCode(port)).not.toBe(0);
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const freed = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    expect(await exitCode(freed)).not.toBe(0);
  });
});
