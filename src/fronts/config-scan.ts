/**
 * Reading a user's own config file (run --config … --upstream): the ports it listens on and the
 * targets it proxies to, each kind by its own directives (its descriptor's `configScan`). A scan
 * reads lines, not the grammar: it names what it found, and the bench only warns or asks for
 * --listen-port when it finds nothing.
 */

export interface ConfigScan {
  /** The directive that sets the port, as errors name it ("listen", "bind", "Listen"…). */
  listenDirective: string;
  /** The ports the config listens on, in file order (duplicates dropped). */
  listenPorts(config: string): number[];
  /** What the config proxies to: host:port, or an upstream/backend name, in file order. */
  proxiedTo(config: string): string[];
}

/** The config with its comments taken off (`#` to the end of a line, in every kind's format), so a commented-out directive is not read. */
export function withoutComments(config: string): string {
  return config.split('\n').map((line) => line.replace(/(^|\s)#.*$/, '$1')).join('\n');
}

/** The first capture group of every match, in order, without repeats. */
function captures(pattern: RegExp, text: string, join: (m: RegExpExecArray) => string = (m) => m[1] as string): string[] {
  const global = new RegExp(pattern.source, pattern.flags.includes('g') ? pattern.flags : `${pattern.flags}g`);
  return [...new Set([...text.matchAll(global)].map((m) => join(m as RegExpExecArray)))];
}

/** A scan from two patterns, each with the port (or the target) as its first group; `target` may join groups. */
export function scanWith(listenDirective: string, listen: RegExp | readonly RegExp[], target: RegExp, joinTarget?: (m: RegExpExecArray) => string): ConfigScan {
  const listens = Array.isArray(listen) ? listen : [listen as RegExp];
  return {
    listenDirective,
    listenPorts: (config) => [...new Set(listens.flatMap((l) => captures(l, withoutComments(config))).map(Number))].filter((p) => Number.isInteger(p) && p > 0 && p < 65_536),
    proxiedTo: (config) => captures(target, withoutComments(config), joinTarget),
  };
}

/** The host part of a target ("app:3000" → "app", "backend" → "backend"). */
export function targetHost(target: string): string {
  return target.replace(/:\d+$/, '');
}
