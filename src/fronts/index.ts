/**
 * The front registry: every kind of front the bench runs, each described once in its own file
 * (src/fronts/<kind>.ts). Everything that lists kinds, images or setups derives from here.
 */
import { caddy } from './caddy.js';
import { haproxy } from './haproxy.js';
import { httpFront } from './http-front.js';
import { httpd } from './httpd.js';
import { nghttpx } from './nghttpx.js';
import { nginx } from './nginx.js';
import type { SetupSpec } from './types.js';

/** The kinds, in the order reports and help list them. */
export const FRONTS = [nginx, httpFront, haproxy, httpd, caddy, nghttpx] as const;

export type FrontKind = (typeof FRONTS)[number]['kind'];
export const FRONT_KINDS: readonly FrontKind[] = FRONTS.map((f) => f.kind);

/** A setup as the rest of the bench sees it: the descriptor's setup with its kind. */
export interface FrontSetup extends SetupSpec {
  kind: FrontKind;
}

/** One front kind's descriptor, with its literal kind and image role. */
export type Front = (typeof FRONTS)[number];

const byKind: ReadonlyMap<string, Front> = new Map(FRONTS.map((f) => [f.kind, f]));

export function isFrontKind(name: string): name is FrontKind {
  return byKind.has(name);
}

/** A kind's descriptor; an unknown kind names the known ones. */
export function frontDescriptor(kind: string): Front {
  const found = byKind.get(kind);
  if (!found) throw new Error(`unknown front kind '${kind}'; known: ${FRONT_KINDS.join(', ')}`);
  return found;
}

/** Every front setup by name, in registry order. */
export const frontSetups: ReadonlyMap<string, FrontSetup> = new Map(
  FRONTS.flatMap((f) => f.setups.map((s): [string, FrontSetup] => [s.name, { ...s, kind: f.kind }])),
);

export function frontSetup(name: string): FrontSetup {
  const setup = frontSetups.get(name);
  if (!setup) {
    throw new Error(`unknown front setup '${name}'; known: ${[...frontSetups.keys()].join(', ')}`);
  }
  return setup;
}

/** Each kind's reference setup: the one named like the kind (its correct config). */
export const primarySetups: readonly string[] = FRONT_KINDS.filter((k) => frontSetups.has(k));

