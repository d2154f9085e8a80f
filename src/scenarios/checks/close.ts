/** Close codes carried end to end: the client closes, the app mirrors the code and reason back. */
import { closed, discard, open, contextOptions } from '../check-helpers/client.js';
import { verdict } from '../check-helpers/result.js';
import type { Check } from '../types.js';

export function closeCodeCarried(code: number, reason: string): Check {
  return {
    id: 'close-code',
    title: `close ${code} "${reason}" comes back unchanged`,
    independent: true,
    async run(ctx) {
      const ws = await open(ctx.wsUrl, contextOptions(ctx));
      try {
        const done = closed(ws, 5_000);
        ws.close(code, reason);
        const got = await done;
        const seen = got ? `${got.code} "${got.reason}"` : 'no close within 5 s';
        return verdict(got?.code === code && got.reason === reason, seen, `${code} "${reason}"`, seen);
      } finally {
        discard(ws);
      }
    },
  };
}
