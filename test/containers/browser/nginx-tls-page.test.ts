/**
 * The echo page under https, in a browser: nginx terminates TLS (nginx-tls), Chromium loads the
 * page from the front, the page derives wss:// from its location, connects through the front
 * and gets its message echoed. The certificate is the bench's throwaway one (not trusted by the
 * browser, hence ignoreHTTPSErrors: the point here is the scheme, not the trust chain, which the
 * scenario's own checks verify with the CA).
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scenario } from '../../../src/scenarios/catalog.js';
import { WS_PATH } from '../../../src/topology/values.js';
import { startTopology } from '../../../src/containers/topology.js';
import type { Topology } from '../../../src/topology/topology.js';
import { connectAndEcho, haveChromium, launchChromium, openPage, requireChromiumUnlessSkipped } from '../../support/chromium.js';
import { describeSettling, waitForSteadyHostAddresses } from '../../support/host-addresses.js';
import { containersSkipped } from '../skip.js';

requireChromiumUnlessSkipped('the https page browser test', containersSkipped);

describe.skipIf(containersSkipped || !haveChromium)('the echo page over https through nginx (nginx-tls)', () => {
  let topology: Topology;
  let browser: Browser;
  beforeAll(async () => {
    topology = await startTopology(scenario('nginx-tls/upgrade'));
    browser = await launchChromium();
    // The topology's own bridge and veths get their addresses in the seconds after it starts.
    const settled = await waitForSteadyHostAddresses();
    console.log(`  host addresses ${describeSettling(settled)}`);
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
      const { page, response } = await openPage(context, `${front.httpUrl}/`);
      expect(response?.status()).toBe(200);
      expect(await page.inputValue('#connectionUrl')).toBe(front.wsUrl(WS_PATH));
      expect(front.wsUrl(WS_PATH)).toMatch(/^wss:\/\//);
      const before = (await topology.app.stats()).upgradesReceived;
      await connectAndEcho(page, 'hello over wss');
      const stats = await topology.app.stats();
      expect(stats.upgradesReceived).toBe(before + 1);
      expect(stats.lastUpgradeHeaders?.['x-forwarded-proto']).toBe('https');
      console.log(`  ✓ nginx-tls page: OPEN over ${front.wsUrl(WS_PATH)}, echo seen, app saw X-Forwarded-Proto: https`);
    } finally {
      await context.close();
    }
  });
});
