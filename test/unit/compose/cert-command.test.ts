import { X509Certificate, createPrivateKey } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCertCommand } from '../../../src/compose/cli.js';
import { COMPOSE_TLS_FILES } from '../../../src/compose/h2-profile.js';

describe('ws-proxy-bench cert', () => {
  let dir = '';
  const lines: { out: string[]; err: string[] } = { out: [], err: [] };
  const io = { out: (l: string) => { lines.out.push(l); }, err: (l: string) => { lines.err.push(l); } };
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'wspb-cert-test-'));
    lines.out = [];
    lines.err = [];
  });
  afterEach(() => { rmSync(dir, { recursive: true, force: true }); });

  it('writes a certificate for localhost and 127.0.0.1, valid --days, and its key, both readable by the fronts\' users', async () => {
    const out = join(dir, 'nested', 'tls');
    expect(await runCertCommand(['--out', out, '--days', '3'], io)).toBe(0);
    expect(readdirSync(out).sort()).toEqual([COMPOSE_TLS_FILES.cert, COMPOSE_TLS_FILES.key].sort());
    const x509 = new X509Certificate(readFileSync(join(out, COMPOSE_TLS_FILES.cert)));
    expect(x509.subjectAltName).toContain('DNS:localhost');
    expect(x509.checkIP('127.0.0.1')).toBe('127.0.0.1');
    const lifetimeDays = (Date.parse(x509.validTo) - Date.parse(x509.validFrom)) / 86_400_000;
    expect(lifetimeDays).toBeGreaterThan(2.9);
    expect(lifetimeDays).toBeLessThanOrEqual(3.1);
    expect(x509.verify(x509.publicKey)).toBe(true); // self-signed: its own CA
    expect(x509.checkPrivateKey(createPrivateKey(readFileSync(join(out, COMPOSE_TLS_FILES.key))))).toBe(true);
    for (const file of Object.values(COMPOSE_TLS_FILES)) expect(statSync(join(out, file)).mode & 0o777, file).toBe(0o644);
    expect(lines.out.join('\n')).toContain(join(out, COMPOSE_TLS_FILES.cert));
    expect(lines.out.join('\n')).toContain('WS_PROXY_BENCH_COMPOSE_TLS_DIR=');
  });

  it('replaces files already there, and makes a replaced key readable too', async () => {
    writeFileSync(join(dir, COMPOSE_TLS_FILES.key), 'old', { mode: 0o600 });
    expect(await runCertCommand(['--out', dir], io)).toBe(0);
    expect(readFileSync(join(dir, COMPOSE_TLS_FILES.key), 'utf8')).toContain('PRIVATE KEY');
    expect(statSync(join(dir, COMPOSE_TLS_FILES.key)).mode & 0o777).toBe(0o644);
  });

  it('refuses bad usage with exit 2, naming the option and what is allowed, and writes nothing', async () => {
    expect(await runCertCommand(['--out', dir, '--days', '0'], io)).toBe(2);
    expect(lines.err.join('\n')).toMatch(/^cert: invalid --days from flag --days: "0"; expected an integer from 1 to 3650/);
    expect(await runCertCommand(['--out', dir, '--force'], io)).toBe(2);
    expect(lines.err.join('\n')).toContain("unknown option '--force'");
    expect(await runCertCommand(['--out', dir, 'extra'], io)).toBe(2);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('fails with exit 1 and says why when it cannot write there', async () => {
    const file = join(dir, 'a-file');
    writeFileSync(file, '');
    expect(await runCertCommand(['--out', file], io)).toBe(1);
    expect(lines.err.join('\n')).toMatch(/^cert: .*(EEXIST|ENOTDIR)/);
    expect(existsSync(join(file, COMPOSE_TLS_FILES.cert))).toBe(false);
  });

  it('--help lists its options and the compose command it prepares for', async () => {
    expect(await runCertCommand(['--help'], io)).toBe(0);
    const help = lines.out.join('\n');
    expect(help).toContain('--out <value>');
    expect(help).toContain('--days <value>');
    expect(help).toContain('docker compose --profile h2 up');
  });
});
