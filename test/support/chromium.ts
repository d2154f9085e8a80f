/**
 * Debian's Chromium driven by playwright-core, for the tests that load the echo page in a real
 * browser: where it is, how it is launched, and the page's connect/send/echo steps.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
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

/** Clicks Connect, waits for OPEN, sends `text` and waits for the echo row in the page's log. */
export async function connectAndEcho(page: Page, text: string): Promise<void> {
  await page.click('#connectButton');
  await page.waitForFunction(() => document.querySelector('#stateLabel')?.textContent === 'OPEN');
  await page.fill('#sendMessage', text);
  await page.click('#sendButton');
  const log = page.locator('#commsLog tr');
  const escaped = text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  await expect.poll(() => log.allTextContents()).toEqual(
    expect.arrayContaining([expect.stringMatching(new RegExp(`^ServerClient.*${escaped}$`))]),
  );
}
