import { describe, expect, it } from 'vitest';
import { parseEnv } from 'node:util';
import { FRONTS } from '../../../src/fronts/index.js';
import { chooseImage, IMAGE_ROLES, imageCatalog, projectDotEnv, IMAGE_SPECS } from '../../../src/containers/images.js';

describe('reading .env (node:util parseEnv)', () => {
  it('reads KEY=VALUE lines, skipping comments and blanks, unquoting values and dropping trailing comments', () => {
    expect({ ...parseEnv('# c\n\nA=1\nexport B="two words"\nC=\'x\'\nD=val # trailing\nnot a line\n') }).toEqual({
      A: '1', B: 'two words', C: 'x', D: 'val',
    });
  });

  it("reads the project's .env as image variables only: its comment lines are not values", () => {
    const dotEnv = projectDotEnv();
    expect(Object.keys(dotEnv).length).toBeGreaterThan(0);
    for (const [key, value] of Object.entries(dotEnv)) {
      expect(key).toMatch(/^WS_PROXY_BENCH_IMAGE_[A-Z]+$/);
      expect(value).toMatch(/^[^\s#'"]+$/);
    }
  });
});

describe('image catalog', () => {
  const dotEnv = { WS_PROXY_BENCH_IMAGE_NGINX: 'nginx:from-dotenv', WS_PROXY_BENCH_IMAGE_NODE: 'node:from-dotenv' };

  it('takes the environment over .env, and says where each name came from', () => {
    expect(chooseImage('nginx', { WS_PROXY_BENCH_IMAGE_NGINX: 'my/nginx:1' }, dotEnv)).toEqual({ role: 'nginx', image: 'my/nginx:1', source: 'environment' });
    expect(chooseImage('nginx', {}, dotEnv)).toEqual({ role: 'nginx', image: 'nginx:from-dotenv', source: '.env' });
    expect(chooseImage('nginx', { WS_PROXY_BENCH_IMAGE_NGINX: '  ' }, dotEnv).source).toBe('.env');
  });

  it('names the variable to set when neither names an image', () => {
    expect(() => chooseImage('caddy', {}, dotEnv)).toThrow("no image for role 'caddy': set WS_PROXY_BENCH_IMAGE_CADDY");
  });

  it("has every role with an official image pinned in the project's .env (exact versions, not :latest); the others default to the stand-in", () => {
    const catalog = imageCatalog({}, projectDotEnv());
    expect(catalog.map((c) => c.role)).toEqual([...IMAGE_ROLES]);
    for (const c of catalog) {
      if (IMAGE_SPECS[c.role].official === false) {
        expect(c, c.role).toEqual({ role: c.role, image: undefined, source: 'stand-in' });
        continue;
      }
      expect(c.source, c.role).toBe('.env');
      expect(c.image).toMatch(/:\d+\.\d+\.\d+/);
    }
    expect(catalog.filter((c) => c.source === 'stand-in').map((c) => c.role)).toEqual(['nghttpx']);
    expect(chooseImage('nghttpx', { WS_PROXY_BENCH_IMAGE_NGHTTPX: 'mine/nghttpx:1.64.0' }, projectDotEnv())).toEqual({ role: 'nghttpx', image: 'mine/nghttpx:1.64.0', source: 'environment' });
  });

  it('knows which roles the user chose explicitly', () => {
    expect(chooseImage('httpd', { WS_PROXY_BENCH_IMAGE_HTTPD: 'httpd:x' }).source).toBe('environment');
    expect(chooseImage('httpd', {}).source).not.toBe('environment');
  });

  it('has one role per image: the app\'s node role, shared by the http-front, and one per other front kind', () => {
    expect(IMAGE_ROLES[0]).toBe('node');
    expect([...IMAGE_ROLES].sort()).toEqual([...new Set(FRONTS.map((f) => f.image.role))].sort());
    for (const role of IMAGE_ROLES) expect(IMAGE_SPECS[role].envVar).toBe(`WS_PROXY_BENCH_IMAGE_${role.toUpperCase()}`);
  });
});
