/**
 * Debian's Chromium driven by playwright-core, for the tests that load the echo page in a real
 * browser: where it is, how it is launched, and the page's connect/send/echo steps.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext, type Page, type Response } from 'playwright-core';
import { expect } from 'vitest';

export const CHROMIUM = '/usr/bin/chromium';
export const haveChromium = existsSync(CHROMIUM);

/** Fails under CI, warns elsewhere, when Chromium is missing (then the browser tests skip). */
export function requireChromiumUnlessSkipped(what: string, skipped = false): void {
  if (haveChromium || skipped) return;
  const why = `Chromium not found at ${CHROMIUM}: install it with \`apt-get install -y chromium\``;
  if (process.env.CI) throw new Error(`${why} (required under CI)`);
  console.warn(`\n*** SKIPPING ${what}: ${why} ***\n`);
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
}

/**
 * Chromium aborts what is in flight with net::ERR_NETWORK_CHANGED when the host's addresses
 * change, and Docker changes them whenever a network or a container is created or removed (a
 * new bridge, a veth with its link-local address). The container browser tests therefore run
 * alone, after the other suites, and wait for the host's addresses to settle
 * (host-addresses.ts); the unit page tests start no containers. Should an abort still happen, it says
 * nothing about the page or the front under test, so a navigation or a WebSocket handshake that
 * Chromium aborted for that reason, and only that reason, is tried again: a bounded number of
 * times, and said on the test's output. Any other failure fails at once.
 */
const NETWORK_CHANGED = 'net::ERR_NETWORK_CHANGED';
const NETWORK_CHANGED_ATTEMPTS = 4;

function noteNetworkChanged(what: string, attempt: number): void {
  console.log(`  … ${what} aborted by Chromium with ${NETWORK_CHANGED} (a host network changed), trying again (${attempt + 1}/${NETWORK_CHANGED_ATTEMPTS})`);
}

/**
 * Did Chromium abort this navigation for a host network change? Either playwright's error names
 * the net error, or a request of the page failed with it (Chromium then swaps in its error page,
 * and playwright says the navigation was "interrupted by another navigation to chrome-error://…").
 */
function abortedByNetworkChange(error: unknown, failedRequests: readonly string[]): boolean {
  if (String(error).includes(NETWORK_CHANGED)) return true;
  return String(error).includes('chrome-error://') && failedRequests.some((text) => text.includes(NETWORK_CHANGED));
}

/** Opens a new page (in a browser or a context) and loads `url`; returns the page and the response. */
export async function openPage(owner: Browser | BrowserContext, url: string): Promise<{ page: Page; response: Response | null }> {
  const page = await owner.newPage();
  // Why the page's requests failed, as Chromium says it (net::ERR_…), for telling a network change apart.
  const failed: string[] = [];
  page.on?.('requestfailed', (request) => { failed.push(request.failure()?.errorText ?? ''); });
  for (let attempt = 1; ; attempt += 1) {
    failed.length = 0;
    try {
      return { page, response: await page.goto(url) };
    } catch (error) {
      // The failed request's event may trail the navigation's rejection: wait for it (bounded).
      if (failed.length === 0 && String(error).includes('chrome-error://')) {
        await page.waitForEvent?.('requestfailed', { timeout: 500 }).catch(() => undefined);
      }
      if (!abortedByNetworkChange(error, failed) || attempt >= NETWORK_CHANGED_ATTEMPTS) {
        throw failed.length > 0 ? new Error(`${String(error)} (the page's failed requests: ${failed.join(', ')})`, { cause: error }) : error;
      }
      noteNetworkChanged(`loading ${url}`, attempt);
    }
  }
}

/**
 * Clicks Connect and waits for OPEN. A handshake Chromium aborted with net::ERR_NETWORK_CHANGED
 * (its console says so) is tried again; a socket that closes for any other reason fails the test.
 */
export async function connectPage(page: Page): Promise<void> {
  let networkChanged = false;
  const onConsole = (message: { text(): string }): void => {
    if (message.text().includes(NETWORK_CHANGED)) networkChanged = true;
  };
  page.on('console', onConsole);
  try {
    for (let attempt = 1; ; attempt += 1) {
      networkChanged = false;
      await page.click('#connectButton');
      const state = await page.waitForFunction(() => {
        const text = document.querySelector('#stateLabel')?.textContent;
        return text === 'OPEN' || text === 'CLOSED' ? text : false;
      });
      if ((await state.jsonValue()) === 'OPEN') return;
      // The console line can trail the close event by a moment: wait for it (bounded), not a fixed time.
      if (!networkChanged) {
        await page.waitForEvent('console', { predicate: (m) => m.text().includes(NETWORK_CHANGED), timeout: 500 }).catch(() => undefined);
      }
      if (!networkChanged || attempt >= NETWORK_CHANGED_ATTEMPTS) {
        throw new Error(`the page's WebSocket closed instead of opening: ${(await page.locator('#commsLog tr').allTextContents()).join(' | ')}`);
      }
      noteNetworkChanged('the WebSocket handshake', attempt);
    }
  } finally {
    page.off('console', onConsole);
  }
}

/** Connects (as connectPage), sends `text` and waits for the echo row in the page's log. */
export async function connectAndEcho(page: Page, text: string): Promise<void> {
  await connectPage(page);
  await page.fill('#sendMessage', text);
  await page.click('#sendButton');
  const log = page.locator('#commsLog tr');
  const escaped = text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  await expect.poll(() => log.allTextContents()).toEqual(
    expect.arrayContaining([expect.stringMatching(new RegExp(`^ServerClient.*${escaped}$`))]),
  );
}
