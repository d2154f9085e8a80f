/**
 * The echo page under https, in a browser: nginx terminates TLS (nginx-tls), Chromium loads the
 * page from the front, the page derives wss:// from its location, connects through the front
 * and gets its message echoed. The certificate is the bench's throwaway one (not trusted by the
 * browser, hence ignoreHTTPSErrors: the point here is the scheme, not the trust chain, which the
 * scenario's own checks verify with the CA).
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scenario } from '../../../src/scenarios/catalog.js';
import { WS_PATH } from '../../../src/scenarios/fronts.js';
import { startTopology, type Topology } from '../../../src/scenarios/topology.js';
import { containersSkipped } from '../skip.js';

const CHROMIUM = '/usr/bin/chromium';
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium && !containersSkipped) {
  const why = `Chromium not found at ${CHROMIUM}: install it with \`apt-get install -y chromium\``;
  if (process.env.CI) throw new Error(`${why} (required under CI)`);
  console.warn(`\n*** SKIPPING the https page browser test: ${why} ***\n`);
}

describe.skipIf(containersSkipped || !haveChromium)('the echo page over https through nginx (nginx-tls)', () => {
  let topology: Topology;
  let browser: Browser;
  beforeAll(async () => {
    topology = await startTopology(scenario('nginx-tls/upgrade'));
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
    });
  });
  afterAll(async () => {
    await browser?.close();
    await topology?.stop();
  });

  it('loads over https, derives wss:// from its location, connects through the front and echoes', async () => {
    const front = topology.front;
    expect(front.httpUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const context = await browser.newContext({ ignoreHTTPSErrors: true });
    try {
      const page = await context.newPage();
      const response = await page.goto(`${front.httpUrl}/`);
      expect(response?.status()).toBe(200);
      expect(await page.inputValue('#connectionUrl')).toBe(front.wsUrl(WS_PATH));
      expect(front.wsUrl(WS_PATH)).toMatch(/^wss:\/\//);
      const before = (await topology.app.stats()).upgradesReceived;
      await page.click('#connectButton');
      await page.waitForFunction(() => document.querySelector('#stateLabel')?.textContent === 'OPEN');
      await page.fill('#sendMessage', 'hello over wss');
      await page.click('#sendButton');
      const log = page.locator('#commsLog tr');
      await expect.poll(() => log.allTextContents()).toEqual(
        expect.arrayContaining([expect.stringMatching(/^ServerClient.*hello over wss$/)]),
      );
      const stats = await topology.app.stats();
      expect(stats.upgradesReceived).toBe(before + 1);
      expect(stats.lastUpgradeHeaders?.['x-forwarded-proto']).toBe('https');
      console.log(`  ✓ nginx-tls page: OPEN over ${front.wsUrl(WS_PATH)}, echo seen, app saw X-Forwarded-Proto: https`);
    } finally {
      await context.close();
    }
  });
});
