import { X509Certificate, createPrivateKey } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { selfSignedCertificate } from '../../../src/containers/tls.js';

describe('the throwaway test certificate', () => {
  // A temp folder of this test's own (os.tmpdir() follows TMPDIR): other runs on the machine make
  // and remove their own wspb-tls-* folders in the shared one meanwhile.
  const saved = process.env.TMPDIR;
  let own = '';
  beforeEach(() => { own = mkdtempSync(join(tmpdir(), 'wspb-tls-test-')); process.env.TMPDIR = own; });
  afterEach(() => {
    if (saved === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = saved;
    rmSync(own, { recursive: true, force: true });
  });
  const leftovers = (): string[] => readdirSync(own);

  it('is for localhost and 127.0.0.1, valid about a day, its key an ECDSA P-256 one that matches, and no temp files stay', async () => {
    expect(tmpdir()).toBe(own);
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
    expect(x509.publicKey.asymmetricKeyType).toBe('ec');
    expect(x509.publicKey.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
    expect(x509.verify(x509.publicKey)).toBe(true); // self-signed: it is its own CA
    expect(leftovers()).toEqual(before);
  });

  it('names the hosts it is also for (a remote engine\'s host the clients dial), an address as IP:, a name as DNS:', async () => {
    const { cert } = await selfSignedCertificate('localhost', 1, ['docker', '10.1.2.3', '127.0.0.1']);
    const x509 = new X509Certificate(cert);
    expect(x509.checkHost('docker')).toBe('docker');
    expect(x509.checkIP('10.1.2.3')).toBe('10.1.2.3');
    expect(x509.subjectAltName?.match(/127\.0\.0\.1/g)).toHaveLength(1);
  });
});
