/** The app saw the forwarding headers a front is expected to add to the upgrade request. */
import { discard, open, contextOptions } from '../check-helpers/client.js';
import { verdict } from '../check-helpers/result.js';
import type { Check } from '../types.js';

/**
 * `expected`: header names that must be present, or names with the value each must have
 * (`{ 'X-Forwarded-Proto': 'https' }`; undefined = any value).
 */
export function appSawForwardedHeaders(expected: string[] | Record<string, string | undefined>): Check {
  const values: Record<string, string | undefined> = Array.isArray(expected)
    ? Object.fromEntries(expected.map((n) => [n, undefined]))
    : expected;
  const names = Object.keys(values);
  const wanted = names.map((n) => n.toLowerCase());
  const want = (n: string): string => (values[n] === undefined ? n : `${n}: ${values[n] as string}`);
  return {
    id: 'forwarded-headers',
    title: `the app sees ${names.map(want).join(', ')} on the upgrade`,
    independent: false, // reads "the last upgrade the app saw": nothing else may upgrade meanwhile
    async run(ctx) {
      const ws = await open(ctx.wsUrl, contextOptions(ctx));
      discard(ws);
      const stats = await ctx.appStats();
      const headers = stats.lastUpgradeHeaders ?? {};
      const missing = wanted.filter((n) => headers[n] === undefined);
      const wrong = names.filter((n) => {
        const value = values[n];
        const got = headers[n.toLowerCase()];
        return value !== undefined && got !== undefined && String(got) !== value;
      });
      const seen = wanted.map((n) => `${n}: ${String(headers[n] ?? '(none)')}`).join('; ');
      const ok = missing.length === 0 && wrong.length === 0;
      const valued = names.filter((n) => values[n] !== undefined).map(want);
      const figure = ok ? ['all present', ...valued].join(', ') : [missing.length ? `missing ${missing.join(', ')}` : '', wrong.length ? `wrong ${wrong.join(', ')}` : ''].filter(Boolean).join('; ');
      return verdict(ok, figure, `${names.map(want).join(', ')} on the upgrade`, seen);
    },
  };
}
