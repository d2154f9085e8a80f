/**
 * Who handles the WebSocket: the front (it consumes the upgrade; the app's upgrade counter does
 * not move) or the app (the upgrade reaches it; its counter goes up and it answers and echoes).
 */
import { answeredBy, connect, contextOptions, describeOutcome, discard, echoesText, type Answerer } from '../check-helpers/client.js';
import { verdict } from '../check-helpers/result.js';
import type { Check } from '../types.js';

export function websocketHandledBy(by: Exclude<Answerer, 'proxy'>): Check {
  return {
    id: 'handled-by',
    title: by === 'app' ? 'the upgrade reaches the app, which answers and echoes' : 'the front answers the upgrade; the app never sees it',
    independent: false, // compares the app's upgrade counter before and after
    async run(ctx) {
      const before = (await ctx.appStats()).upgradesReceived;
      const outcome = await connect(ctx.wsUrl, contextOptions(ctx));
      let echoed = false;
      if (outcome.socket) {
        echoed = await echoesText(outcome.socket, 'who answers?');
      }
      discard(outcome.socket);
      const delta = (await ctx.appStats()).upgradesReceived - before;
      const answerer = outcome.status === 101 ? answeredBy(outcome.headers) : undefined;
      const ok = outcome.status === 101 && answerer === by && echoed && (by === 'app' ? delta === 1 : delta === 0);
      const seen = `${describeOutcome(outcome)}, echo ${echoed ? 'ok' : 'missing'}, app upgrades +${delta}`;
      return verdict(ok, `handled by ${answerer ?? 'nobody'} (app upgrades +${delta})`,
        `101 from ${by}, echo, app upgrades +${by === 'app' ? 1 : 0}`, seen, { appUpgrades: delta });
    },
  };
}
