/** The options and the preparation bench:scale and bench:keepalive share. */
import { FRONT_KINDS, frontDescriptor, type FrontKind } from '../fronts/index.js';
import { integer, list, option } from '../options.js';
import { readMachineLimits } from './scale-limits.js';
import { planScale, type MachineLimits, type ScalePlan } from './scale-plan.js';

export const isFrontKind = (k: string): k is FrontKind => (FRONT_KINDS as readonly string[]).includes(k);

export const frontsOption = option({
  flag: '--front', default: [...FRONT_KINDS] as string[], ...list(`front kinds (${FRONT_KINDS.join(', ')})`, isFrontKind, true),
  help: 'fronts to measure, one at a time (default: all)',
});

export const batchOption = option({ flag: '--batch', default: 200, ...integer(1, 5_000), help: 'connections each generator opens at a time' });

/** The bundles the scale containers run: the app and the load generator. */
export const SCALE_BUNDLES = ['dist/echo-server.mjs', 'dist/bench-scale-generator.mjs'];

/**
 * The machine's limits, and every front's plan from them: a count the machine cannot hold is
 * refused (OptionError) before any front's containers start.
 */
export async function planFronts(fronts: readonly string[], connections: (kind: FrontKind) => number, log: (line: string) => void): Promise<{ limits: MachineLimits; plans: { kind: FrontKind; plan: ScalePlan }[] }> {
  const limits = await readMachineLimits();
  log(`limits: ${limits.filesPerProcess} open files per container process, ${(limits.memAvailableBytes / 2 ** 30).toFixed(1)} GiB available` +
    `${limits.conntrack ? `, connection tracking ${limits.conntrack.count}/${limits.conntrack.max}` : ''}`);
  return { limits, plans: fronts.filter(isFrontKind).map((kind) => ({ kind, plan: planScale(frontDescriptor(kind), connections(kind), limits) })) };
}
