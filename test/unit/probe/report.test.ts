/** The probe's text for a cut: the figure from the last byte received, and from the last sent where the two read differently. */
import { describe, expect, it } from 'vitest';
import { describeCut } from '../../../src/probe/report.js';
import type { Cut } from '../../../src/probe/idle.js';

const cut = (afterMs: number, afterSentMs?: number): Cut => ({
  afterMs, code: 1006, reason: '', how: 'tcp-close', closedBy: 'far end', ...(afterSentMs !== undefined ? { afterSentMs } : {}),
});

describe('describeCut', () => {
  it('gives both ends of the bracket when they read differently', () => {
    expect(describeCut(cut(945.4, 1_001.2))).toBe("cut after 0.95 s (1.00 s from the handshake's start): TCP connection closed without a close frame (client sees 1006)");
  });

  it('gives one figure when both ends read the same, or only one was measured', () => {
    expect(describeCut(cut(1_000.4, 1_001.2))).toMatch(/^cut after 1\.00 s: TCP/);
    expect(describeCut(cut(1_000.4))).toMatch(/^cut after 1\.00 s: TCP/);
  });
});
