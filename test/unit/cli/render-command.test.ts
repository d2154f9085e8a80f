import { afterEach, describe, expect, it, vi } from 'vitest';
import { runRenderCommand } from '../../../src/render.js';

describe('ws-proxy-bench render: bad input', () => {
  afterEach(() => { vi.restoreAllMocks(); });

  it('a template that does not exist: exit 2 and one line naming it and the fix, once', async () => {
    const errors: string[] = [];
    vi.spyOn(console, 'error').mockImplementation((line: string) => { errors.push(line); });
    expect(await runRenderCommand(['/nonexistent/my.conf.template'])).toBe(2);
    expect(errors).toEqual(['render: no template at /nonexistent/my.conf.template; name a template file, such as nginx/ws-proxy.conf.template']);
  });

  it('a --var that is not NAME=value: exit 2, naming it', async () => {
    const errors: string[] = [];
    vi.spyOn(console, 'error').mockImplementation((line: string) => { errors.push(line); });
    expect(await runRenderCommand(['nginx/ws-proxy.conf.template', '--var', 'IDLE'])).toBe(2);
    expect(errors.join('\n')).toMatch(/--var "IDLE" is not NAME=value/);
  });
});
