/** The app saw the forwarding headers a front is expected to add to the upgrade request. */
import { discard, open } from './client.js';
import { verdict } from './result.js';
import type { Check } from '../types.js';

export function appSawForwardedHeaders(names: string[]): Check {
  const wanted = names.map((n) => n.toLowerCase());
  return {
    id: 'forwarded-headers',
    title: `the app sees ${names.join(', ')} on the upgrade`,
    independent: false, // reads "the last upgrade the app saw": nothing else may upgrade meanwhile
    async run(ctx) {
      const ws = await open(ctx.wsUrl);
      discard(ws);
      const stats = await ctx.appStats();
      const headers = stats.lastUpgradeHeaders ?? {};
      const missing = wanted.filter((n) => headers[n] === undefined);
      const seen = wanted.map((n) => `${n}: ${String(headers[n] ?? '(none)')}`).join('; ');
      return verdict(missing.length === 0, missing.length === 0 ? 'all present' : `missing ${missing.join(', ')}`, `${names.join(', ')} present`, seen);
    },
  };
}
