/**
 * The throwaway certificate of docker-compose.yml's profile h2: the bench's own self-signed
 * certificate (src/containers/tls.ts) for localhost and 127.0.0.1, written as files compose
 * mounts read-only into each front.
 */
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { selfSignedCertificate } from '../containers/tls.js';
import { COMPOSE_TLS_FILES } from './h2-profile.js';

export interface WrittenCertificate {
  /** The certificate: self-signed, so it is also the CA a client trusts. */
  cert: string;
  key: string;
}

/**
 * Makes a certificate valid for `days` and writes it and its key into `dir` (created if needed),
 * replacing what is there. Both files are world-readable on purpose: the fronts read them inside
 * their containers as users that do not own them (HAProxy's `haproxy`, the Node front's uid 1000),
 * and the key protects nothing but this throwaway certificate.
 */
export async function writeComposeCertificate(dir: string, days: number): Promise<WrittenCertificate> {
  const tls = await selfSignedCertificate('localhost', days);
  mkdirSync(dir, { recursive: true });
  const written = { cert: join(dir, COMPOSE_TLS_FILES.cert), key: join(dir, COMPOSE_TLS_FILES.key) };
  for (const [file, content] of [[written.cert, tls.cert], [written.key, tls.key]] as const) {
    writeFileSync(file, content);
    // writeFileSync's mode applies only to a file it creates: set it on one it replaced too.
    chmodSync(file, 0o644);
  }
  return written;
}
