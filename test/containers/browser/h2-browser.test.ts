/**
 * The path a browser takes, through every TLS front with HTTP/2: Chromium loads the echo page
 * over https, the page connects its wss:// WebSocket and gets its message echoed, and the
 * front's own access log says which way the handshake came: an HTTP/2 extended CONNECT (RFC
 * 8441) where the front advertises it, an HTTP/1.1 Upgrade on a connection of its own where it
 * does not. The certificate is the bench's throwaway one (ignoreHTTPSErrors: the point is the
 * path, which the scenarios' own checks verify with the CA). Like every file in this folder it
 * runs after the other suites, alone, and each page load waits for the host's addresses to settle:
 * Chromium aborts what it is connecting when they change (test/support/host-addresses.ts).
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

requireChromiumUnlessSkipped('the browser-path test over HTTP/2', containersSkipped);

describe.skipIf(containersSkipped || !haveChromium)('the browser over https through each TLS front with HTTP/2', () => {
  const setups = Object.keys(H2_EXPECTED);
  const topologies = new Map<string, Topology>();
  const refusals = new Map<string, ConfigRefusedByVersion>();
  let browser: Browser;
  // Every front at once, and none stopped before the last page: starting or stopping one changes
  // the host's addresses, so they all start first, the addresses settle once, and then the pages load.
  beforeAll(async () => {
    const started = await Promise.allSettled(setups.map(async (setup) => {
      try {
        topologies.set(setup, await startTopology(scenario(`${setup}/h2`)));
      } catch (err) {
        // Too old a front for this setup's config (its `needs`): the refusal is that setup's verdict.
        if (!(err instanceof ConfigRefusedByVersion)) throw err;
        refusals.set(setup, err);
      }
    }));
    const failed = started.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
    browser = await launchChromium();
    const settled = await waitForSteadyHostAddresses();
    console.log(`  host addresses ${describeSettling(settled)}`);
    expect(settled.steady, `host addresses still changing after ${settled.waitedMs} ms: ${settled.tentative.join(', ')}`).toBe(true);
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await Promise.all([...topologies.values()].map((t) => t.stop()));
  });

  // Chromium takes the extended CONNECT whenever the TLS connection negotiated h2 and the front's
  // SETTINGS offered it, and an HTTP/1.1 Upgrade on a connection of its own otherwise: the offer is
  // read from the front first (Caddy's depends on its version), and the path must match it.
  for (const setup of setups) {
    it(`${setup}: the page echoes over wss://, by an HTTP/2 extended CONNECT where the front offers it, else an HTTP/1.1 Upgrade`, async () => {
      const refused = refusals.get(setup);
      if (refused) {
        console.log(`  ✓ ${setup}: not run: ${refused.message}`);
        expect(compareVersions(refused.version, refused.needs.version)).toBeLessThan(0);
        return;
      }
      const topology = topologies.get(setup);
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
