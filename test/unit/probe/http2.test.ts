/**
 * probe on wss:// endpoints: whether WebSockets over HTTP/2 are offered, and where they are the
 * extended CONNECT, the echo over an h2 stream and (--http2) the idle cut over that path.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selfSignedCertificate } from '../../../src/containers/tls.js';
import { probe, runProbeCommand } from '../../../src/probe/cli.js';
import { resolveProbeOptions } from '../../../src/probe/options.js';
import { formatReport } from '../../../src/probe/report.js';
import { CLOCK_ALLOWANCE_MS } from '../../../src/scenarios/checks/idle.js';
import { startH2EchoServer, type H2EchoServer } from '../../support/h2-echo-server.js';

/** The offering server's stream timeout. */
const STREAM_IDLE_MS = 800;

describe('probe over HTTP/2', () => {
  let offering: H2EchoServer;
  let plain: H2EchoServer;
  beforeAll(async () => {
    const tls = await selfSignedCertificate();
    [offering, plain] = await Promise.all([
      startH2EchoServer({ tls, streamIdleMs: STREAM_IDLE_MS }),
      startH2EchoServer({ tls, advertise: false }),
    ]);
  });
  afterAll(async () => { await Promise.all([offering?.close(), plain?.close()]); });

  it('reports h2 WebSockets offered, the CONNECT answered, the echo over a stream and, with --http2, the idle cut there', async () => {
    const options = resolveProbeOptions([offering.wsUrl, '--insecure', '--http2', '--echo-count', '3', '--max-idle', '3s'], {});
    const report = await probe(options);
    expect(report.http2).toMatchObject({ alpn: 'h2', advertised: true, handshake: { ok: true, status: 200 } });
    expect(report.http2?.echo).toMatchObject({ echoes: true, echoed: 3, sent: 3 });
    const cut = report.http2?.idle?.cut;
    // The server's stream timer starts once it has the CONNECT: no sooner than that after the probe began the handshake.
    expect(cut?.afterSentMs).toBeGreaterThanOrEqual(STREAM_IDLE_MS - CLOCK_ALLOWANCE_MS);
    expect(cut?.afterMs).toBeLessThan(3_000);
    expect(formatReport(report)).toMatch(/http2 {8}WebSockets over h2 offered \(RFC 8441\); extended CONNECT answered 200/);
  });

  it('says when h2 is negotiated but WebSockets over it are not offered, and runs no h2 idle finder without --http2', async () => {
    const report = await probe(resolveProbeOptions([plain.wsUrl, '--insecure', '--echo-count', '1', '--max-idle', '0'], {}));
    expect(report.http2).toEqual({ alpn: 'h2', advertised: false });
    expect(formatReport(report)).toContain('h2 negotiated, but WebSockets over it not offered');
  });

  it('refuses --http2 on a ws:// URL, saying why (exit 2)', async () => {
    const err: string[] = [];
    expect(await runProbeCommand(['ws://127.0.0.1:1/ws', '--http2'], { err: (l) => err.push(l), out: () => {} })).toBe(2);
    expect(err.join('\n')).toMatch(/--http2 needs TLS/);
  });
});
