/**
 * The browser tests: Chromium loads the echo page through the fronts and echoes over wss://.
 *
 * 1. The echo page under https through nginx (nginx-tls): the page derives wss:// from its
 *    location, connects through the front and gets its message echoed.
 * 2. The path a browser takes through every TLS front with HTTP/2: the front's own access log
 *    says which way the handshake came, an HTTP/2 extended CONNECT (RFC 8441) where the front
 *    advertises it, an HTTP/1.1 Upgrade on a connection of its own where it does not.
 *
 * Chromium aborts what it is connecting when the host's addresses change, and every Docker network
 * or container started or removed changes them. So this file runs after every other suite, alone
 * (vitest.config.ts), and it is one file: every front of both parts starts first, the addresses
 * settle once (test/support/host-addresses.ts), the pages load, and only then does anything stop.
 * The certificate is the bench's throwaway one (ignoreHTTPSErrors: the point is the scheme and the
 * path; the scenarios' own checks verify the trust chain with the CA).
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTopology } from '../../../src/containers/topology.js';
import { probeH2 } from '../../../src/scenarios/check-helpers/h2-websocket.js';
import { H2_EXPECTED, scenario } from '../../../src/scenarios/catalog.js';
import { compareVersions } from '../../../src/fronts/types.js';
import { ConfigRefusedByVersion } from '../../../src/topology/refused.js';
import type { Topology } from '../../../src/topology/topology.js';
import { WS_PATH } from '../../../src/topology/values.js';
import { connectAndEcho, haveChromium, launchChromium, openPage, requireChromiumUnlessSkipped } from '../../support/chromium.js';
import { loggedProtocol } from '../../support/front-log.js';
import { describeSettling, waitForSteadyHostAddresses } from '../../support/host-addresses.js';
import { containersSkipped } from '../skip.js';

requireChromiumUnlessSkipped('the browser tests', containersSkipped);

describe.skipIf(containersSkipped || !haveChromium)('the browser through the fronts', () => {
  const TLS_PAGE = 'nginx-tls/upgrade';
  const h2Setups = Object.keys(H2_EXPECTED);
  const topologies = new Map<string, Topology>();
  const refusals = new Map<string, ConfigRefusedByVersion>();
  let browser: Browser;
  /** Chromium starting: closed after the last page, also when a front failed to start before it was awaited. */
  let launching: Promise<Browser> | undefined;
  // Every front at once, and none stopped before the last page: starting or stopping one changes
  // the host's addresses, so they all start first, the addresses settle once, and then the pages load.
  beforeAll(async () => {
    const wanted = [TLS_PAGE, ...h2Setups.map((setup) => `${setup}/h2`)];
    // Chromium starts while the fronts do (it loads nothing until the addresses settle).
    launching = launchChromium();
    const started = await Promise.allSettled(wanted.map(async (id) => {
      try {
        topologies.set(id, await startTopology(scenario(id)));
      } catch (err) {
        // Too old a front for this setup's config (its `needs`): the refusal is that setup's verdict.
        if (!(err instanceof ConfigRefusedByVersion)) throw err;
        refusals.set(id, err);
      }
    }));
    const failed = started.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
    browser = await launching;
    const settled = await waitForSteadyHostAddresses();
    console.log(`  host addresses ${describeSettling(settled)}`);
    expect(settled.steady, `host addresses still changing after ${settled.waitedMs} ms: ${settled.tentative.join(', ')}`).toBe(true);
  }, 180_000);
  afterAll(async () => {
    // A launch that failed was reported by beforeAll; closing one that started may fail here.
    await launching?.then((b) => b.close(), () => {});
    await Promise.all([...topologies.values()].map((t) => t.stop()));
  });

  describe('the echo page over https through nginx (nginx-tls)', () => {
    it('loads over https, derives wss:// from its location, connects through the front and echoes', async () => {
      const topology = topologies.get(TLS_PAGE);
      if (!topology) throw new Error(`${TLS_PAGE}: the topology did not start`);
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

  describe('the browser over https through each TLS front with HTTP/2', () => {
    // Chromium takes the extended CONNECT whenever the TLS connection negotiated h2 and the front's
    // SETTINGS offered it, and an HTTP/1.1 Upgrade on a connection of its own otherwise: the offer is
    // read from the front first (Caddy's depends on its version), and the path must match it.
    for (const setup of h2Setups) {
      it(`${setup}: the page echoes over wss://, by an HTTP/2 extended CONNECT where the front offers it, else an HTTP/1.1 Upgrade`, async () => {
        const refused = refusals.get(`${setup}/h2`);
        if (refused) {
          console.log(`  ✓ ${setup}: not run: ${refused.message}`);
          expect(compareVersions(refused.version, refused.needs.version)).toBeLessThan(0);
          return;
        }
        const topology = topologies.get(`${setup}/h2`);
        if (!topology) throw new Error(`${setup}: the topology did not start`);
        const context = await browser.newContext({ ignoreHTTPSErrors: true });
        try {
          const offer = await probeH2(topology.front.httpUrl, { ...(topology.front.ca !== undefined ? { ca: topology.front.ca } : {}) });
          const expected = offer.alpn === 'h2' && offer.connectProtocol ? 'h2' : 'http/1.1';
          if (H2_EXPECTED[setup] !== 'either') expect(expected === 'h2' ? 'advertised' : 'not-advertised').toBe(H2_EXPECTED[setup]);
          const { page, response } = await openPage(context, `${topology.front.httpUrl}/`);
          expect(response?.status()).toBe(200);
          expect(await page.inputValue('#connectionUrl')).toBe(topology.front.wsUrl(WS_PATH));
          const before = (await topology.app.stats()).upgradesReceived;
          await connectAndEcho(page, `hello over ${setup}`);
          // Exactly one upgrade reaches the app: no failed attempt before it.
          const upgrades = (await topology.app.stats()).upgradesReceived - before;
          expect(upgrades).toBe(1);
          // Fronts log a request when it ends:
          // close the WebSocket, then wait for the line, bounded generously (it is not a timing claim).
          await page.click('#closeButton');
          await page.waitForFunction(() => document.querySelector('#stateLabel')?.textContent === 'CLOSED');
          let path: ReturnType<typeof loggedProtocol>;
          const deadline = Date.now() + 10_000;
          while ((path = loggedProtocol(await topology.front.logs(), WS_PATH)) === undefined && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
          const logs = await topology.front.logs();
          const said = (p: typeof path): string => (p === 'h2' ? 'as an HTTP/2 extended CONNECT' : p ? 'as an HTTP/1.1 Upgrade' : 'by a path the log does not say');
          console.log(`  ${path === expected ? '✓' : '✗'} ${setup} (${topology.front.kind} ${await topology.front.version()}, extended CONNECT ${expected === 'h2' ? 'offered' : 'not offered'}): the browser's WebSocket came ${said(path)}; the app saw ${upgrades} upgrade${upgrades === 1 ? '' : 's'}`);
          expect(path, `the front's log names the WebSocket request's protocol; its last lines:\n${logs.split('\n').slice(-8).join('\n')}`).toBeDefined();
          expect(path, `extended CONNECT ${expected === 'h2' ? 'offered' : 'not offered'}, so the browser should have come ${said(expected)}`).toBe(expected);
        } finally {
          await context.close();
        }
      });
    }
});
});
