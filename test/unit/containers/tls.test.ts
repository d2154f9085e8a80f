import { X509Certificate, createPrivateKey } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { selfSignedCertificate } from '../../../src/containers/tls.js';

const leftovers = (): string[] => readdirSync(tmpdir()).filter((n) => n.startsWith('wspb-tls-'));

describe('the throwaway test certificate', () => {
  it('is for localhost and 127.0.0.1, valid about a day, its key matches, and no temp files stay', async () => {
    const before = leftovers();
    const { cert, key } = await selfSignedCertificate();
    const x509 = new X509Certificate(cert);
    expect(x509.subject).toBe('CN=localhost');
    expect(x509.subjectAltName).toContain('DNS:localhost');
    expect(x509.subjectAltName).toContain('IP Address:127.0.0.1');
    expect(x509.checkIP('127.0.0.1')).toBe('127.0.0.1');
    const lifetimeMs = Date.parse(x509.validTo) - Date.parse(x509.validFrom);
    expect(lifetimeMs).toBeGreaterThan(23 * 3600_000);
    expect(lifetimeMs).toBeLessThanOrEqual(25 * 3600_000);
    expect(x509.checkPrivateKey(createPrivateKey(key))).toBe(true);
    expect(x509.verify(x509.publicKey)).toBe(true); // self-signed: it is its own CA
    expect(leftovers()).toEqual(before);
  });
});
