/** Checks on the handshake: who answered it, and with what status. */
import { answeredBy, connect, describeOutcome, discard, type Answerer, contextOptions } from '../check-helpers/client.js';
import { verdict } from '../check-helpers/result.js';
import type { Check } from '../types.js';

/** The upgrade passes: 101, answered by `by` (its identity header on the 101). */
export function upgradeAnsweredBy(by: Answerer): Check {
  return {
    id: 'handshake',
    title: `handshake gets 101 from the ${by}`,
    independent: true,
    async run(ctx) {
      const outcome = await connect(ctx.wsUrl, contextOptions(ctx));
      discard(outcome.socket);
      const seen = describeOutcome(outcome);
      return verdict(outcome.status === 101 && answeredBy(outcome.headers) === by, seen, `101 from ${by}`, seen);
    },
  };
}

/** The handshake fails the way a client sees it: this status, answered by `by`. */
export function handshakeRefused(status: number, by: Answerer): Check {
  return {
    id: 'handshake',
    title: `handshake fails: ${status} from the ${by}`,
    independent: true,
    async run(ctx) {
      const outcome = await connect(ctx.wsUrl, contextOptions(ctx));
      discard(outcome.socket);
      const seen = describeOutcome(outcome);
      return verdict(outcome.status === status && answeredBy(outcome.headers) === by, seen, `${status} from ${by}`, seen);
    },
  };
}
