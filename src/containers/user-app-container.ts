/**
 * A user's own app image behind the front (run --app-image): started on the run's network under
 * the alias the front's config proxies to, waited for until it answers HTTP at its path, then
 * probed directly (not through the front) for what checks need of it: a WebSocket at the path,
 * an echo, the bench's /stats. Nothing of the bench is copied in; it runs as its image says.
 */
import type { EchoStats } from '../echo/stats.js';
import { answeredBy, connect, discard, echoesText } from '../scenarios/check-helpers/client.js';
import type { UserApp } from '../scenarios/types.js';
import type { AppCapability, EchoAppHandle } from '../topology/handles.js';
import { getJson } from './app-container.js';
import { startContainer, STOP_TIMEOUT_MS } from './container.js';
import { httpReady } from './ready.js';
import type { BenchNetwork } from './runtime.js';

/** What the app serves, probed from outside its container: a 101 at the path, an echo of a text, /stats with the bench's counters. */
export async function probeCapabilities(wsUrl: string, statsUrl: string): Promise<AppCapability[]> {
  const found: AppCapability[] = [];
  const outcome = await connect(wsUrl, { timeoutMs: 5_000 });
  if (outcome.socket) {
    found.push('websocket');
    if (answeredBy(outcome.headers) === 'app') found.push('identity');
    if (await echoesText(outcome.socket, `ws-proxy-bench echo probe ${Date.now()}`, 2_000)) found.push('echo');
  }
  discard(outcome.socket);
  const stats = await getJson<Partial<EchoStats>>(statsUrl).catch(() => undefined);
  if (typeof stats?.upgradesReceived === 'number') found.push('stats');
  return found;
}

export async function startUserApp(opts: { network: BenchNetwork; alias: string; app: UserApp; wsPath: string }): Promise<EchoAppHandle> {
  const { app, alias } = opts;
  const started = await startContainer({
    what: `your app (image ${app.image})`,
    image: app.image,
    network: opts.network,
    alias,
    command: app.command ? [...app.command] : [],
    env: { ...app.env },
    // Any HTTP answer at the WebSocket path (400, 426, 404…) means it listens; the image may have no shell to look inside.
    wait: httpReady(app.port, opts.wsPath, () => true, 'any status'),
    port: app.port,
  });
  const capabilities = await probeCapabilities(started.url('ws', opts.wsPath), started.url('http', '/stats'));
  const noStats = (): Promise<never> => Promise.reject(new Error(`your app (${app.image}) serves no /stats with the bench's counters`));
  return {
    alias,
    networkIp: started.networkIp,
    internalUrl: `http://${alias}:${app.port}`,
    get httpUrl() { return started.url('http', '/').replace(/\/$/, ''); },
    wsUrl: (path = opts.wsPath) => started.url('ws', path),
    stats: capabilities.includes('stats') ? (read) => getJson<EchoStats>(started.url('http', read?.collectGarbage ? '/stats?gc=1' : '/stats')) : noStats,
    json: (path) => getJson(started.url('http', path)),
    logs: async () => started.logs.all(),
    stop: started.stop,
    restart: async () => { await started.container.restart({ timeout: STOP_TIMEOUT_MS }); },
    image: app.image,
    capabilities,
  };
}
