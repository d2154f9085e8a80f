/** No error line repeats its command's name (`serve: serve: …`): each command's usage errors, printed once. */
import { describe, expect, it } from 'vitest';
import { CLI_COMMANDS, runInProcess } from '../../support/docs/commands.js';

describe('usage errors name their command once', () => {
  for (const command of Object.keys(CLI_COMMANDS)) {
    it(`${command} --bogus: exit 2, and the command's name is not repeated`, async () => {
      const r = await runInProcess(command, ['--bogus']);
      expect(r.code).toBe(2);
      const first = r.err.split('\n')[0] ?? '';
      expect(first).toContain(`${command}: `);
      expect(first.split(`${command}: `)).toHaveLength(2);
      expect(first).toMatch(/--bogus/);
    });
  }

  it.each([
    ['serve', ['--keep-alive-interval', '30'], 'serve: --keep-alive-interval 30: give a unit, e.g. 30s or 30ms'],
    ['front', ['--idle-timeout', '30'], 'front: --idle-timeout 30: give a unit, e.g. 30s or 30ms'],
    ['probe', ['ws://127.0.0.1:1/ws', '--max-idle', '5'], 'probe: --max-idle 5: give a unit, e.g. 5s or 5ms'],
    ['run', ['--scenario', 'nowhere/none'], "run: --scenario 'nowhere/none' matches no scenario"],
    ['probe', ['http://127.0.0.1:1/ws'], "probe: 'http://127.0.0.1:1/ws' is http:// ; give a ws:// or wss:// URL"],
    ['front', ['--tls-cert', 'c.pem'], 'front: --tls-cert and --tls-key go together'],
  ])('%s %j: %s', async (command, argv, line) => {
    const r = await runInProcess(command, argv);
    expect(r.code).toBe(2);
    expect(r.err.startsWith(line)).toBe(true);
  });
});
