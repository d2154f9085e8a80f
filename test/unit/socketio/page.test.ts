/**
 * The socket.io app's page in Chromium, served by an in-process server: it loads the client
 * script from the app itself (nothing from elsewhere), connects, shows the transport live
 * (polling, then websocket), echoes, and shows how the session ended.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { SocketioServerHandle } from '../../../src/socketio/server.js';
import { connectAndEcho, connectPage, haveChromium, launchChromium, openPage, requireChromiumUnlessSkipped } from '../../support/chromium.js';
import { startQuietSocketio } from './helpers.js';

requireChromiumUnlessSkipped('the socket.io page browser test');

const rows = (page: Page): Promise<string[]> => page.locator('#commsLog tr').allTextContents();
const text = (page: Page, selector: string): Promise<string> => page.locator(selector).innerText();

describe.skipIf(!haveChromium)('the socket.io page in Chromium', () => {
  let browser: Browser;
  const servers: SocketioServerHandle[] = [];
  beforeAll(async () => { browser = await launchChromium(); }, 30_000);
  afterEach(async () => { await Promise.all(servers.splice(0).map((s) => s.close())); });
  afterAll(async () => { await browser?.close(); });

  async function open(options: Parameters<typeof startQuietSocketio>[0] = {}): Promise<{ server: SocketioServerHandle; page: Page; requested: string[] }> {
    const server = await startQuietSocketio({ replicaId: 'page-replica', ...options });
    servers.push(server);
    // A context of its own, so every request the page makes is seen from its first one.
    const context = await browser.newContext();
    const requested: string[] = [];
    context.on('request', (r) => requested.push(r.url()));
    const { page } = await openPage(context, `${server.url}/`);
    // Closing the page closes its context; the browser may be closing too by then (afterAll).
    page.once('close', () => { context.close().catch(() => {}); });
    return { server, page, requested };
  }

  it('connects on polling, shows the upgrade to websocket live, and echoes', async () => {
    const { server, page, requested } = await open({ path: '/rt/' });
    expect(await page.evaluate(() => typeof (window as unknown as { io?: unknown }).io)).toBe('function');
    await connectAndEcho(page, 'hello from chromium');
    await expect.poll(() => text(page, '#transportLabel')).toBe('websocket');
    await expect.poll(() => text(page, '#replicaLabel')).toBe('page-replica');
    const log = await rows(page);
    expect(log[0]).toMatch(/^ServerClientSession opened via polling \(session [\w-]+\)$/);
    expect(log).toEqual(expect.arrayContaining([expect.stringMatching(/^ServerClientConnected \(socket id [\w-]+\)$/)]));
    expect(log).toContain('ServerClientTransport upgraded to websocket');
    expect(log).toContain('ClientServerhello from chromium');
    expect(log).toContain('ServerClienthello from chromium');
    await expect.poll(() => server.stats().upgrades).toBe(1);
    expect(server.stats().messagesEchoed).toBe(1);
    // Everything the page loaded came from the app: the page and the client script at its path.
    const origin = new URL(server.url).origin;
    expect(requested.filter((u) => !u.startsWith(origin))).toEqual([]);
    expect(requested).toContain(`${origin}/rt/socket.io.min.js`);
    await page.click('#closeButton');
    await expect.poll(() => text(page, '#stateLabel')).toBe('CLOSED');
    expect((await rows(page)).at(-1)).toBe('ServerClientDisconnected: io client disconnect');
    expect(await text(page, '#transportLabel')).toBe('-');
    await page.close();
  });

  it('with "websocket only" connects straight on a WebSocket, and shows a server shutdown with its close code', async () => {
    const { server, page } = await open();
    await page.selectOption('#transportSelect', 'websocket');
    await connectPage(page);
    expect(await text(page, '#transportLabel')).toBe('websocket');
    expect((await rows(page))[0]).toMatch(/^ServerClientSession opened via websocket/);
    await server.close();
    await expect.poll(() => text(page, '#stateLabel')).toBe('CLOSED');
    expect((await rows(page)).at(-1)).toBe('ServerClientDisconnected: transport close (websocket connection closed code 1001)');
    await page.close();
  });
});
