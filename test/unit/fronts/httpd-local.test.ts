/** run --local with httpd: a config written for the official image is made to fit this host's layout. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { testTempDir } from '../../support/temp-dir.js';
import { httpdHostConfig } from '../../../src/fronts/httpd.js';
import { renderTemplateFile } from '../../../src/templates.js';

const vars = { UPSTREAM: '127.0.0.1:1', LISTEN_PORT: '8080', IDLE_TIMEOUT_SECONDS: '2', HEADER_TIMEOUT_SECONDS: '10' };

describe('httpd under run --local', () => {
  it("points ServerRoot at the host's modules folder and the pid file into the run's own folder", () => {
    const host = testTempDir('wspb-httpd-root-');
    mkdirSync(join(host, 'modules'));
    writeFileSync(join(host, 'modules', 'mod_proxy.so'), '');
    const run = testTempDir('wspb-httpd-run-');
    const config = httpdHostConfig(renderTemplateFile('httpd/ws-proxy.conf.template', vars), run, ['/nowhere', host]);
    expect(config).toMatch(new RegExp(`^ServerRoot "${host}"$`, 'm'));
    expect(config).not.toContain('/usr/local/apache2"');
    expect(config).toMatch(new RegExp(`^PidFile ${join(run, 'httpd.pid')}$`, 'm'));
    expect(config).toContain('LoadModule proxy_module modules/mod_proxy.so');
  });

  it('says why when the host has no httpd modules folder, and keeps a ServerRoot of your own', () => {
    const config = renderTemplateFile('httpd/ws-proxy.conf.template', vars);
    expect(() => httpdHostConfig(config, '/tmp', ['/nowhere'])).toThrow(/no httpd modules folder on this host \(looked for modules\/mod_proxy\.so under \/nowhere\)/);
    const own = config.replace('ServerRoot "/usr/local/apache2"', 'ServerRoot "/opt/apache"');
    expect(httpdHostConfig(own, '/tmp', ['/nowhere'])).toContain('ServerRoot "/opt/apache"');
  });
});
