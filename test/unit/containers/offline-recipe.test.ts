import { Buffer } from 'node:buffer';
import { describe, expect, it } from 'vitest';
import { IMAGE_ROLES } from '../../../src/containers/images.js';
import { BASE_PACKAGES, mirrorFromSources, offlineEnvFile, offlineImages, recipeFiles, recipeHash, debianMirror } from '../../../src/containers/offline-images.js';

const files = [{ path: 'nginx.Dockerfile', content: Buffer.from('FROM x\n') }, { path: 'node.Dockerfile', content: Buffer.from('FROM y\n') }];

describe('recipe hash', () => {
  it('is stable: same files in any order, same packages in any order, same hash', () => {
    expect(recipeHash(files, ['a', 'b'])).toBe(recipeHash([...files].reverse(), ['b', 'a']));
    expect(recipeHash(files, ['a', 'b'])).toMatch(/^[0-9a-f]{12}$/);
  });

  it('changes with a file’s content, a file’s name, the package list or the suite', () => {
    const h = recipeHash(files, ['a']);
    expect(recipeHash([files[0]!, { path: 'node.Dockerfile', content: Buffer.from('FROM z\n') }], ['a'])).not.toBe(h);
    expect(recipeHash([files[0]!, { path: 'other.Dockerfile', content: files[1]!.content }], ['a'])).not.toBe(h);
    expect(recipeHash(files, ['a', 'c'])).not.toBe(h);
    expect(recipeHash(files, ['a'], 'trixie')).not.toBe(h);
  });

  it('covers a Dockerfile for every role in images/offline/', () => {
    const names = recipeFiles().map((f) => f.path);
    for (const role of IMAGE_ROLES) expect(names).toContain(`${role}.Dockerfile`);
    expect(BASE_PACKAGES).toEqual(expect.arrayContaining(['nodejs', 'nginx-light', 'haproxy', 'apache2', 'caddy']));
  });
});

describe('offline env file', () => {
  it('names one image per role, tagged with the recipe hash', () => {
    const text = offlineEnvFile(offlineImages('abc123def456'));
    expect(text).toContain('WS_PROXY_BENCH_IMAGE_NGINX=ws-proxy-bench/offline-nginx:abc123def456');
    expect(text.split('\n').filter((l) => l.startsWith('WS_PROXY_BENCH_IMAGE_'))).toHaveLength(IMAGE_ROLES.length);
  });
});

describe('Debian mirror', () => {
  const sources = 'Types: deb\nURIs: http://mirror.example/debian\nSuites: bookworm bookworm-updates\n\nTypes: deb\nURIs: http://mirror.example/debian-security\nSuites: bookworm-security\n';
  it('takes the URIs of the stanza serving the suite, not the security one', () => {
    expect(mirrorFromSources(sources)).toBe('http://mirror.example/debian');
    expect(mirrorFromSources('Types: deb\nURIs: http://s/\nSuites: bookworm-security\n')).toBeUndefined();
  });
  it('prefers WS_PROXY_BENCH_DEBIAN_MIRROR, then falls back to deb.debian.org', () => {
    expect(debianMirror({ WS_PROXY_BENCH_DEBIAN_MIRROR: 'http://local/debian' })).toBe('http://local/debian');
    expect(debianMirror({}, '/nonexistent/debian.sources')).toBe('http://deb.debian.org/debian');
  });
});
