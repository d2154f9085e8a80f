import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { resolveFrontOptions } from '../../../proxy/options.js';
import { httpFrontFlags, httpFrontOptions } from '../../../src/fronts/http-front.js';
import { FRONT_KINDS, FRONTS, frontDescriptor, frontSetup, frontSetups, primarySetups } from '../../../src/fronts/index.js';
import { compareVersions, versionFromOutput } from '../../../src/fronts/types.js';
import { parseProcessList } from '../../../src/containers/front-container.js';
import { projectPath } from '../../../src/paths.js';
import { frontVars } from '../../../src/topology/values.js';

describe('the front registry', () => {
  it('lists each kind once, with a reference setup named like the kind', () => {
    expect(new Set(FRONT_KINDS).size).toBe(FRONTS.length);
    expect(primarySetups).toEqual(FRONT_KINDS);
  });

  it('gives every kind what starting it needs: a config path and command, or a bundle and a setup command', () => {
    for (const front of FRONTS) {
      if (front.configPath !== undefined) {
        expect(front.configPath, front.kind).toMatch(/^\//);
        expect(front.command?.length, front.kind).toBeGreaterThan(0);
      } else {
        expect(front.bundle, front.kind).toMatch(/\.mjs$/);
        expect(typeof front.setupCommand, front.kind).toBe('function');
      }
    }
    expect(frontDescriptor('nginx').command).toEqual(['nginx', '-g', 'daemon off;']);
  });

  it('has, for every kind, its offline recipe file and its docs page', () => {
    for (const front of FRONTS) {
      expect(existsSync(projectPath(`images/offline/${front.image.role}.Dockerfile`)), front.kind).toBe(true);
      expect(existsSync(projectPath(front.docsPage)), front.docsPage).toBe(true);
      expect(front.image.debianPackages.length, front.kind).toBeGreaterThan(0);
    }
  });

  it('names every setup once; templates exist in the kind\'s own folder; companions are known setups', () => {
    const names = FRONTS.flatMap((f) => f.setups.map((s) => s.name));
    expect(new Set(names).size).toBe(names.length);
    for (const setup of frontSetups.values()) {
      if (setup.template) {
        expect(setup.template.split('/')[0], setup.name).toBe(setup.kind);
        expect(existsSync(projectPath(setup.template)), setup.template).toBe(true);
      }
      for (const companion of Object.values(setup.companions ?? {})) expect(frontSetups.has(companion), companion).toBe(true);
    }
  });

  it('reads each kind\'s version from what its version command prints', () => {
    const samples: Record<string, [string, string]> = {
      nginx: ['nginx version: nginx/1.22.1\n', '1.22.1'],
      haproxy: ['HAProxy version 2.6.12-1+deb12u1 2023/12/16 - https://haproxy.org/\nStatus: long-term supported branch\n', '2.6.12'],
      httpd: ['Server version: Apache/2.4.62 (Unix)\nServer built:   Aug 12 2024\n', '2.4.62'],
      caddy: ['v2.9.1 h1:I4e2yDhP+nK2iVyf9Xk9P0XAiKV/HUFdpfsTtgaO9+k=\n', '2.9.1'],
      'http-front': ['v18.20.4\n', '18.20.4'],
      nghttpx: ['nghttpx nghttp2/1.64.0\n', '1.64.0'],
    };
    for (const front of FRONTS) {
      const [output, version] = samples[front.kind] as [string, string];
      expect(versionFromOutput(front.version, front.kind, output), front.kind).toBe(version);
      expect(() => versionFromOutput(front.version, front.kind, 'command not found'), front.kind).toThrow(/printed no version: command not found/);
    }
    expect(versionFromOutput(frontDescriptor('caddy').version, 'caddy', '2.6.2\n')).toBe('2.6.2');
  });

  it("derives the http-front's container command from its setup's options, and the flags read back as the same options", () => {
    const setup = frontSetup('http-front-websocket-on');
    const vars = frontVars({ idleTimeoutSeconds: 2 });
    const options = httpFrontOptions(setup, vars);
    const command = frontDescriptor('http-front').setupCommand?.(setup, vars) ?? [];
    expect(command.slice(0, 2)).toEqual(['node', '/app/http-front.mjs']);
    expect(command).toEqual(expect.arrayContaining(['--target', 'http://echo:8080', '--websocket', 'on', '--idle-timeout', '2000ms']));
    const parsed = resolveFrontOptions({ argv: httpFrontFlags(options), env: {} });
    expect(parsed).toMatchObject(options);
  });

  it('refuses an unknown kind, naming the known ones', () => {
    expect(() => frontDescriptor('traefik')).toThrow(`unknown front kind 'traefik'; known: ${FRONT_KINDS.join(', ')}`);
  });
});

describe('versions and processes', () => {
  it('compares dotted versions numerically', () => {
    expect(compareVersions('2.6.2', '2.7.0')).toBeLessThan(0);
    expect(compareVersions('2.11.4', '2.7.0')).toBeGreaterThan(0);
    expect(compareVersions('1.30', '1.30.0')).toBe(0);
  });

  it("keeps the kind's own processes from a container's process list, with their memory", () => {
    const output = '9032 nginx: master process nginx -g daemon off; \n3488 nginx: worker process \n3380 nginx: worker process is shutting down \n1948 sh -c for d in /proc/[0-9]*; do …\n';
    const processes = parseProcessList(output, frontDescriptor('nginx').processes);
    expect(processes.map((p) => p.command)).toEqual(['nginx: master process nginx -g daemon off;', 'nginx: worker process', 'nginx: worker process is shutting down']);
    expect(processes[1]?.rssBytes).toBe(3488 * 1024);
    expect(parseProcessList('120 haproxy -W -db -f /usr/local/etc/haproxy/haproxy.cfg\n', frontDescriptor('haproxy').processes)).toHaveLength(1);
    expect(parseProcessList('800 /usr/sbin/apache2 -d /usr/local/apache2 -f conf/httpd.conf -DFOREGROUND\n', frontDescriptor('httpd').processes)).toHaveLength(1);
  });
});
