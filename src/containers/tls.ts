/**
 * Throwaway TLS material for wss:// scenarios (and for docker-compose.yml's profile h2, see
 * src/compose/certificate.ts): a self-signed certificate for localhost and 127.0.0.1, valid for a
 * day unless asked otherwise, on an ECDSA P-256 key, made with the openssl command line in a
 * temporary directory that is removed afterwards (also when openssl fails). The certificate
 * doubles as the CA a client trusts.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isIP } from 'node:net';
import { join } from 'node:path';
import { describeFailure, run } from '../exec.js';

export interface TlsMaterial {
  /** PEM certificate (self-signed: also the CA to trust). */
  cert: string;
  /** PEM private key, unencrypted. */
  key: string;
}

/** A subjectAltName entry for a host: IP:… for an address, DNS:… for a name. */
export function altName(host: string): string {
  return isIP(host) ? `IP:${host}` : `DNS:${host}`;
}

/**
 * `alsoFor`: more hosts the certificate names, such as a remote engine's host, which the run's
 * clients dial (publish.ts).
 */
export async function selfSignedCertificate(commonName = 'localhost', days = 1, alsoFor: readonly string[] = []): Promise<TlsMaterial> {
  if (!Number.isInteger(days) || days < 1) throw new Error(`a certificate's lifetime is a whole number of days, at least 1; got ${days}`);
  const dir = mkdtempSync(join(tmpdir(), 'wspb-tls-'));
  try {
    const certFile = join(dir, 'cert.pem');
    const keyFile = join(dir, 'key.pem');
    const args = [
      // An ECDSA P-256 key: every front and client here takes it, and openssl makes one at once
      // (an RSA 2048 key took 0.1 s of CPU, for each TLS front a run starts).
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', String(days),
      '-subj', `/CN=${commonName}`,
      '-addext', `subjectAltName=${[...new Set([`DNS:${commonName}`, 'IP:127.0.0.1', ...alsoFor.map(altName)])].join(',')}`,
      '-keyout', keyFile, '-out', certFile,
    ];
    const result = await run('openssl', args, { timeoutMs: 30_000 });
    if (result.spawnError) {
      throw new Error(`no openssl command to make a test certificate with: install it (apt-get install -y openssl)`);
    }
    if (result.code !== 0) throw new Error(`making a test certificate failed: ${describeFailure('openssl', args, result, 30_000)}`);
    return { cert: readFileSync(certFile, 'utf8'), key: readFileSync(keyFile, 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
