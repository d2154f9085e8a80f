/**
 * The echo page's "Reconnect automatically" option in Chromium: the server goes away and comes
 * back on the same port; with the option on the page backs off, queues what is sent meanwhile,
 * reconnects and delivers the queue in order; with it off the page stays CLOSED.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderPage } from '../../../src/echo/http-app.js';
import type { EchoServerHandle } from '../../../src/echo/server.js';
import { connectPage, haveChromium, launchChromium, openPage, requireChromiumUnlessSkipped } from '../../support/chromium.js';
import { startQuietServer } from './helpers.js';

requireChromiumUnlessSkipped('the echo page reconnect test');

const state = (page: Page): Promise<string> => page.locator('#stateLabel').innerText();
const rows = (page: Page): Promise<string[]> => page.locator('#commsLog tr').allTextContents();

describe('the echo page, reconnecting', () => {
  it('carries the project backoff and outbox inline, no script from elsewhere', () => {
    const html = renderPage('/ws');
    expect(html).toContain('id="reconnectToggle"');
    // The bundle of src/echo/page-reconnect.ts: the shared backoff's own error text is in it.
    expect(html).toMatch(/<script id="pageReconnectLib">\n"use strict";\n\(\(\) => \{/);
    expect(html).toContain('reconnecting client: backoff.');
    expect(html).not.toMatch(/<(script|link)[^>]+(src|href)=/);
  });

  describe.skipIf(!haveChromium)('in Chromium', () => {
    let browser: Browser;
    const servers: EchoServerHandle[] = [];
    const start = async (port = 0): Promise<EchoServerHandle> => {
      const s = await startQuietServer({ path: '/echo', port, keepAliveInterval: 0 });
      servers.push(s);
      return s;
    };
    beforeAll(async () => { browser = await launchChromium(); }, 30_000);
    // The two tests run side by side (own servers on their own ports, own pages): close everything after both.
    afterAll(async () => {
      await Promise.all(servers.splice(0).map((s) => s.close()));
      await browser?.close();
    });

    async function openConnected(server: EchoServerHandle, reconnect: boolean): Promise<Page> {
      const { page } = await openPage(browser, `${server.url}/`);
      if (reconnect) await page.check('#reconnectToggle');
      await connectPage(page);
      return page;
    }

    it.concurrent('reconnects with backoff after the server drops it, and delivers what was queued, in order', async ({ expect }) => {
      const first = await start();
      const page = await openConnected(first, true);
      const dropped = Date.now();
      await first.close();
      await expect.poll(() => rows(page)).toEqual(expect.arrayContaining([expect.stringMatching(/reconnecting in \d+ ms \(attempt 1\)$/)]));
      for (const text of ['queued one', 'queued two']) {
        await page.fill('#sendMessage', text);
        await page.click('#sendButton');
      }
      // Down for a while: failed attempts back off further (attempt 2, 3 …) before the server returns.
      await expect.poll(() => rows(page), { timeout: 5_000 }).toEqual(expect.arrayContaining([expect.stringMatching(/reconnecting in \d+ ms \(attempt 2\)$/)]));
      const second = await start(first.port);
      await expect.poll(() => state(page), { timeout: 10_000 }).toBe('OPEN');
      const reopenedMs = Date.now() - dropped;
      await expect.poll(async () => (await rows(page)).filter((r) => r.startsWith('ServerClient') && r.includes('queued ')))
        .toEqual(['ServerClientqueued one', 'ServerClientqueued two']);
      const log = await rows(page);
      const at = (re: RegExp): number => log.findIndex((r) => re.test(r));
      expect(at(/^ClientOutboxqueued #1: queued one$/)).toBeGreaterThan(at(/Connection closed\. Code: 1001/));
      expect(at(/^ClientOutboxqueued #2: queued two$/)).toBeGreaterThan(at(/^ClientOutboxqueued #1/));
      const sent1 = at(/^ClientServersent queued #1: queued one$/);
      // Sent right after the reconnect's open (the last "Connection opened" row).
      expect(sent1).toBe(log.findLastIndex((r) => r === 'ServerClientConnection opened') + 1);
      expect(at(/^ClientServersent queued #2: queued two$/)).toBe(sent1 + 1);
      const delays = log.map((r) => /reconnecting in (\d+) ms \(attempt (\d+)\)$/.exec(r)).filter((m) => m !== null).map((m) => Number(m[1]));
      // Default backoff: 250 ms doubling, up to half taken off at random, capped at 10 s.
      delays.forEach((d, i) => {
        const base = Math.min(10_000, 250 * 2 ** i);
        expect(d).toBeGreaterThanOrEqual(base / 2 - 1);
        expect(d).toBeLessThanOrEqual(base);
      });
      expect(second.stats().messagesEchoed).toBe(2);
      console.log(`page reconnect: OPEN again ${reopenedMs} ms after the drop, delays ${delays.join(', ')} ms; 2 queued, 2 echoed`);
      await page.close();
    });

    it.concurrent('stays CLOSED after the server drops it when the option is off', async ({ expect }) => {
      const first = await start();
      const page = await openConnected(first, false);
      await first.close();
      await expect.poll(() => state(page)).toBe('CLOSED');
      const second = await start(first.port);
      await new Promise((r) => setTimeout(r, 1_000));
      expect(await state(page)).toBe('CLOSED');
      expect((await rows(page)).some((r) => r.includes('reconnecting'))).toBe(false);
      expect(second.stats().upgradesReceived).toBe(0);
      await page.close();
    });
  });
});
