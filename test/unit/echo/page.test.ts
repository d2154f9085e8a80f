import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EchoServerHandle } from '../../../src/echo/server.js';
import { renderPage } from '../../../src/echo/http-app.js';
import { connectAndEcho, haveChromium, launchChromium, openPage, requireChromiumUnlessSkipped } from '../../support/chromium.js';
import { startQuietServer } from './helpers.js';

requireChromiumUnlessSkipped('the echo page browser test');

describe('the echo page', () => {
  it('is told the configured WebSocket path', () => {
    expect(renderPage('/echo/socket')).toContain('<meta name="echo-ws-path" content="/echo/socket">');
    expect(renderPage('/a&b')).toContain('content="/a&amp;b"');
    for (const id of ['connectionUrl', 'connectButton', 'sendMessage', 'sendButton', 'closeButton', 'stateLabel', 'commsLog']) {
      expect(renderPage('/ws')).toContain(`id="${id}"`);
    }
    expect(renderPage('/ws')).not.toMatch(/<(script|link)[^>]+(src|href)=/);
  });

  describe.skipIf(!haveChromium)('in Chromium', () => {
    let server: EchoServerHandle;
    let browser: Browser;
    beforeAll(async () => {
      server = await startQuietServer({ path: '/echo' });
      browser = await launchChromium();
    }, 30_000);
    afterAll(async () => {
      await browser?.close();
      await server?.close();
    });

    it('connects, sends, shows the echo, closes with 1000', async () => {
      const { page } = await openPage(browser, `${server.url}/`);
      expect(await page.inputValue('#connectionUrl')).toBe(`${server.wsUrl}`);
      expect(server.wsUrl.endsWith('/echo')).toBe(true);
      await connectAndEcho(page, 'hello from chromium');
      const log = page.locator('#commsLog tr');
      expect(await log.allTextContents()).toEqual(expect.arrayContaining([expect.stringMatching(/^ClientServerhello from chromium$/)]));
      await page.click('#closeButton');
      await page.waitForFunction(() => document.querySelector('#stateLabel')?.textContent === 'CLOSED');
      const rows = await log.allTextContents();
      expect(rows[0]).toContain('Connection opened');
      expect(rows.at(-1)).toMatch(/Connection closed\. Code: 1000\. Reason: Closing from client/);
      expect(server.stats().messagesEchoed).toBe(1);
      await page.close();
    });
  });
});
