/**
 * The browser tests' tolerance for Chromium's net::ERR_NETWORK_CHANGED (a Docker network or
 * container appearing beside the test) is narrow: that error alone is tried again, a bounded
 * number of times; every other failure of a navigation fails at once.
 */
import type { Browser } from 'playwright-core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openPage } from '../support/chromium.js';

const INTERRUPTED = 'Navigation to "http://127.0.0.1:1/" is interrupted by another navigation to "chrome-error://chromewebdata/"';

function fakeBrowser(failures: string[], failedRequest = ''): { owner: Browser; gotos: () => number } {
  let calls = 0;
  let onFailed: ((request: { failure(): { errorText: string } | null }) => void) | undefined;
  const page = {
    on: (event: string, listener: typeof onFailed) => { if (event === 'requestfailed') onFailed = listener; },
    goto: async () => {
      const failure = failures[calls++];
      if (failure) {
        // Chromium fails the page's request first, then playwright reports the navigation.
        if (failedRequest) onFailed?.({ failure: () => ({ errorText: failedRequest }) });
        throw new Error(`page.goto: ${failure} at http://127.0.0.1:1/`);
      }
      return null;
    },
  };
  return { owner: { newPage: async () => page } as unknown as Browser, gotos: () => calls };
}

afterEach(() => { vi.restoreAllMocks(); });

describe('openPage', () => {
  it('loads again after net::ERR_NETWORK_CHANGED, and says so', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const { owner, gotos } = fakeBrowser(['net::ERR_NETWORK_CHANGED', 'net::ERR_NETWORK_CHANGED']);
    await openPage(owner, 'http://127.0.0.1:1/');
    expect(gotos()).toBe(3);
    expect(log).toHaveBeenCalledTimes(2);
    expect(String(log.mock.calls[0]?.[0])).toMatch(/ERR_NETWORK_CHANGED.*trying again \(2\/4\)/);
  });

  it('gives up after four network changes in a row', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const { owner, gotos } = fakeBrowser(Array(5).fill('net::ERR_NETWORK_CHANGED'));
    await expect(openPage(owner, 'http://127.0.0.1:1/')).rejects.toThrow(/ERR_NETWORK_CHANGED/);
    expect(gotos()).toBe(4);
  });

  it("loads again when Chromium swapped in its error page after a request failed with ERR_NETWORK_CHANGED, and only for that", async () => {
    vi.spyOn(console, 'log').mockImplementation(() => {});
    const changed = fakeBrowser([INTERRUPTED, INTERRUPTED], 'net::ERR_NETWORK_CHANGED');
    await expect(openPage(changed.owner, 'http://127.0.0.1:1/')).resolves.toMatchObject({ response: null });
    expect(changed.gotos()).toBe(3);
    const refused = fakeBrowser([INTERRUPTED], 'net::ERR_CONNECTION_REFUSED');
    await expect(openPage(refused.owner, 'http://127.0.0.1:1/')).rejects.toThrow(/interrupted by another navigation/);
    expect(refused.gotos()).toBe(1);
  });

  it('fails at once on any other error', async () => {
    const { owner, gotos } = fakeBrowser(['net::ERR_CONNECTION_REFUSED']);
    await expect(openPage(owner, 'http://127.0.0.1:1/')).rejects.toThrow(/ERR_CONNECTION_REFUSED/);
    expect(gotos()).toBe(1);
  });
});
