import { describe, expect, it } from 'vitest';
import { scenario } from '../../../src/scenarios/catalog.js';
import { frontSetup } from '../../../src/fronts/index.js';
import { localUnavailability } from '../../../src/local/fronts.js';

describe('the TLS front setup', () => {
  it('says where its certificate goes, and its scenario expects X-Forwarded-Proto: https', () => {
    const setup = frontSetup('nginx-tls');
    expect(setup.tls).toEqual({ certPath: '/etc/nginx/tls/cert.pem', keyPath: '/etc/nginx/tls/key.pem' });
    const titles = scenario('nginx-tls/upgrade').checks.map((c) => c.title);
    expect(titles).toContain('the app sees X-Forwarded-For, X-Forwarded-Proto: https on the upgrade');
  });

  it('is unavailable in local mode (its certificate goes into a container), with the reason', () => {
    const found = (): string => '/usr/sbin/nginx';
    expect(localUnavailability(frontSetup('nginx-tls'), found)).toMatch(/terminates TLS .*run it with Docker/);
    expect(localUnavailability(frontSetup('nginx'), found)).toBeUndefined();
  });
});
