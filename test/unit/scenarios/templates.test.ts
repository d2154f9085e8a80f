import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { projectPath } from '../../../src/paths.js';
import { renderTemplate, templatePlaceholders } from '../../../src/templates.js';
import { COMPOSE_VARS, composeTemplates } from '../../../src/render.js';

describe('renderTemplate', () => {
  it('replaces ${NAME} placeholders and leaves the proxy’s own $variables alone', () => {
    const text = 'proxy_set_header Upgrade $http_upgrade;\nserver ${UPSTREAM};\nproxy_read_timeout ${IDLE}s; # ${IDLE}';
    expect(renderTemplate(text, { UPSTREAM: 'echo:8080', IDLE: 2 })).toBe(
      'proxy_set_header Upgrade $http_upgrade;\nserver echo:8080;\nproxy_read_timeout 2s; # 2',
    );
  });

  it('refuses a placeholder with no value, naming it, the file and what was given', () => {
    expect(() => renderTemplate('a ${ONE} ${TWO}', { ONE: 1 }, 'nginx/x.conf.template')).toThrow(
      'nginx/x.conf.template: no value for ${TWO}; given: ONE',
    );
  });

  it('lists placeholders once each, in order', () => {
    expect(templatePlaceholders('${B} ${A} ${B} $c ${lower}')).toEqual(['B', 'A']);
  });
});

describe('the nginx templates', () => {
  for (const template of composeTemplates().filter((t) => t.startsWith('nginx/'))) {
    it(`${template} renders with the compose values and keeps its WebSocket-relevant lines`, () => {
      const text = readFileSync(projectPath(template), 'utf8');
      const rendered = renderTemplate(text, COMPOSE_VARS, template);
      expect(rendered).not.toMatch(/\$\{[A-Z_]+\}/);
      expect(rendered).toContain('proxy_read_timeout 60s;');
      expect(rendered).toMatch(/listen 8080( reuseport)?;/);
    });
  }

  it('differ from the correct config exactly where the mistakes are', () => {
    const read = (name: string): string => readFileSync(projectPath(`nginx/${name}.conf.template`), 'utf8');
    const directives = (text: string): string[] =>
      text.split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
    expect(directives(read('ws-proxy'))).toContain('proxy_http_version 1.1;');
    expect(directives(read('mistake-no-http11'))).not.toContain('proxy_http_version 1.1;');
    expect(directives(read('mistake-no-http11'))).toContain('proxy_set_header Upgrade $http_upgrade;');
    expect(directives(read('mistake-no-upgrade-headers'))).toContain('proxy_http_version 1.1;');
    expect(directives(read('mistake-no-upgrade-headers')).join('\n')).not.toMatch(/proxy_set_header (Upgrade|Connection)/);
  });
});
