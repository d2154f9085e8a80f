/**
 * A full garbage collection on request, for memory figures that count live objects only (the
 * handshake burst's heap bound). Node exposes `gc()` under `--expose-gc`, which the app's
 * container command passes; an app started without it (in-process in the unit tests, local
 * mode) gets the same function by setting that V8 flag at run time and reading `gc` from a fresh
 * context, which V8 then defines.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

let gc: (() => void) | undefined;

function exposedGc(): () => void {
  const global = (globalThis as { gc?: () => void }).gc;
  if (typeof global === 'function') return global;
  setFlagsFromString('--expose-gc');
  const fromContext = runInNewContext('gc') as unknown;
  if (typeof fromContext !== 'function') throw new Error('V8 did not expose gc() after --expose-gc was set');
  return fromContext as () => void;
}

/** Runs a full collection, synchronously. */
export function collectGarbage(): void {
  gc ??= exposedGc();
  gc();
}
