/** Security defaults, seen through the front: the origin allow-list and whose X-Forwarded-For the app believes. */
import { isIP } from 'node:net';
import { answeredBy, connect, contextOptions, describeOutcome, discard } from '../check-helpers/client.js';
import { verdict } from '../check-helpers/result.js';
import type { Check } from '../types.js';

/** What the app answers a handshake from an Origin not on its allow-list. */
const ORIGIN_REFUSED = 403;

/** With ECHO_ALLOWED_ORIGINS set, an allowed Origin gets 101 through the front and any other 403 from the app. */
export function originAllowList(allowed: string, other: string): Check {
  return {
    id: 'origin-allow-list',
    title: `origin ${allowed} gets 101 through the front; ${other} gets ${ORIGIN_REFUSED} from the app`,
    independent: true,
    async run(ctx) {
      const good = await connect(ctx.wsUrl, contextOptions(ctx, { headers: { Origin: allowed } }));
      discard(good.socket);
      const bad = await connect(ctx.wsUrl, contextOptions(ctx, { headers: { Origin: other } }));
      discard(bad.socket);
      const ok = good.status === 101 && answeredBy(good.headers) === 'app' && bad.status === ORIGIN_REFUSED && answeredBy(bad.headers) === 'app';
      const figure = `${allowed}: ${describeOutcome(good)}; ${other}: ${describeOutcome(bad)}`;
      return verdict(ok, figure, `101 from app, then ${ORIGIN_REFUSED} from app`, figure);
    },
  };
}

const CLAIMED = '203.0.113.7';

/**
 * Whose address the app records (/stats lastClientAddress). `trusted`: the app trusts the
 * front's network, so the address the front appended to X-Forwarded-For is the client. Not
 * trusted (the default): a client's own X-Forwarded-For claim, passed along by the front, is
 * ignored and the app records the front's address: an IP address, not the claim, and, where the
 * context knows the front's address (CheckContext.frontAddress), that one. Without it the check
 * can only tell the front from the hops in the header (the client the front saw): an address
 * found in the header fails then, as does no address at all.
 */
export function clientAddressFromForwardedFor({ trusted, origin }: { trusted: boolean; origin?: string }): Check {
  return {
    id: trusted ? 'forwarded-for-trusted' : 'forwarded-for-untrusted',
    title: trusted
      ? 'the app trusts the front: its client address is the one the front put in X-Forwarded-For'
      : `the app trusts no proxy: a client's X-Forwarded-For claim (${CLAIMED}) is not believed; the app records the front's address`,
    independent: false,
    async run(ctx) {
      const headers = { ...(origin ? { Origin: origin } : {}), ...(trusted ? {} : { 'X-Forwarded-For': CLAIMED }) };
      const outcome = await connect(ctx.wsUrl, contextOptions(ctx, { headers }));
      discard(outcome.socket);
      if (outcome.status !== 101) return verdict(false, describeOutcome(outcome), 'a 101', describeOutcome(outcome));
      const stats = await ctx.appStats();
      const header = stats.lastUpgradeHeaders?.['x-forwarded-for'];
      const hops = String(header ?? '').split(',').map((h) => h.trim()).filter(Boolean);
      const address = stats.lastClientAddress ?? '';
      const recorded = address === '' ? '(none)' : address;
      const seenByFront = hops.at(-1);
      const front = ctx.frontAddress;
      // A front either passes the claim on first in the header (the app must then ignore it), or
      // drops it and writes its own (Caddy, with no trusted proxies): the app cannot be fooled either way.
      const claimDropped = !hops.includes(CLAIMED);
      const ok = trusted
        ? hops.length === 1 && address === seenByFront
        : (hops[0] === CLAIMED || claimDropped) && isIP(address) !== 0 && address !== CLAIMED &&
          (front !== undefined ? address === front : !hops.includes(address));
      const figure = `${!trusted && claimDropped ? 'the front dropped the claim; ' : ''}X-Forwarded-For "${hops.join(', ')}" → client ${recorded}`;
      const frontIs = front !== undefined ? ` (${front})` : '';
      return verdict(ok, figure,
        trusted
          ? 'the client address is the one the front appended'
          : `the client's claim first in the header (or dropped by the front), and the client address the front's own${frontIs}: an IP address, not ${CLAIMED}${front !== undefined ? '' : ' nor anything in the header'}`,
        front !== undefined ? `${figure}; the front is ${front}` : figure);
    },
  };
}
