/** Checks that messages cross the front and come back byte for byte, boundaries and type kept. */
import { randomBytes } from 'node:crypto';
import type WebSocket from 'ws';
import { discard, nextMessage, open, contextOptions } from '../check-helpers/client.js';
import { bytes, verdict } from '../check-helpers/result.js';
import type { Check } from '../types.js';

export interface Payload {
  id: string;
  describe: string;
  /** The fragments to send; one element = an unfragmented message. */
  fragments: Buffer[];
  binary: boolean;
}

export const payloads = {
  text: { id: 'text', describe: 'a text message', fragments: [Buffer.from('hello through the proxy ✓')], binary: false },
  binary: { id: 'binary', describe: 'a binary message', fragments: [randomBytes(4096)], binary: true },
  fragmented: {
    id: 'fragmented',
    describe: 'a text message sent in 3 fragments',
    fragments: [Buffer.from('frag-one|'), Buffer.from('frag-two|'), Buffer.from('frag-three')],
    binary: false,
  },
  large: { id: 'large', describe: 'a 1 MiB binary message', fragments: [randomBytes(1024 * 1024)], binary: true },
} satisfies Record<string, Payload>;

export function send(ws: WebSocket, payload: Payload): void {
  payload.fragments.forEach((fragment, i) => {
    ws.send(fragment, { binary: payload.binary, fin: i === payload.fragments.length - 1 });
  });
}

/** What came back for one payload sent on an open socket. */
export interface EchoRoundTrip {
  /** The same bytes, as one message of the same type (text or binary). */
  same: boolean;
  expected: Buffer;
  got: { data: Buffer; isBinary: boolean };
  roundTripMs: number;
}

/** Sends one payload and waits for the next message; throws when none comes within `timeoutMs`. */
export async function echoOnce(ws: WebSocket, payload: Payload, timeoutMs = 10_000): Promise<EchoRoundTrip> {
  const expected = Buffer.concat(payload.fragments);
  const started = performance.now();
  const reply = nextMessage(ws, timeoutMs);
  send(ws, payload);
  const got = await reply;
  const roundTripMs = performance.now() - started;
  return { same: got.isBinary === payload.binary && got.data.equals(expected), expected, got, roundTripMs };
}

/** One payload goes out through the front and comes back identical, as one message. */
export function echoes(payload: Payload): Check {
  return {
    id: `echo-${payload.id}`,
    title: `echo of ${payload.describe}`,
    independent: true,
    async run(ctx) {
      const ws = await open(ctx.wsUrl, contextOptions(ctx));
      try {
        const { same, expected, got, roundTripMs } = await echoOnce(ws, payload);
        const kind = (binary: boolean): string => (binary ? 'binary' : 'text');
        return verdict(
          same,
          same ? `${bytes(expected.length)} ok` : 'mismatch',
          `${kind(payload.binary)} ${expected.length} bytes back unchanged`,
          `${kind(got.isBinary)} ${got.data.length} bytes, ${got.data.equals(expected) ? 'identical' : 'different'}`,
          { bytes: expected.length, roundTripMs },
        );
      } finally {
        discard(ws);
      }
    },
  };
}
