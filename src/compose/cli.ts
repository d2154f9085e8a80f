/**
 * `ws-proxy-bench cert`: writes the throwaway certificate docker-compose.yml's profile h2 mounts
 * into its fronts. Exit code: 0 written, 1 failed (e.g. no openssl), 2 bad usage.
 */
import { resolve } from 'node:path';
import { integer, option, OptionError, optionsHelp, resolveOptions, text } from '../options.js';
import { projectPath } from '../paths.js';
import { writeComposeCertificate } from './certificate.js';
import { COMPOSE_TLS_DIR, COMPOSE_TLS_DIR_ENV, COMPOSE_TLS_FILES } from './h2-profile.js';

export const certOptionSpecs = {
  out: option({
    flag: '--out',
    default: projectPath(COMPOSE_TLS_DIR),
    ...text('a folder path (created if missing)', (raw) => raw.trim() !== ''),
    show: () => `${COMPOSE_TLS_DIR} in the project`,
    help: `where to write ${COMPOSE_TLS_FILES.cert} and ${COMPOSE_TLS_FILES.key}; compose reads ${COMPOSE_TLS_DIR} unless ${COMPOSE_TLS_DIR_ENV} names another folder`,
  }),
  days: option({
    flag: '--days',
    default: 30,
    ...integer(1, 3650),
    help: 'how many days the certificate is valid',
  }),
};

const HELP = `Usage: ws-proxy-bench cert [--out <folder>] [--days <n>]

Writes a throwaway TLS certificate for localhost and 127.0.0.1 (self-signed: it is also the CA to
trust) and its unencrypted key, as ${COMPOSE_TLS_FILES.cert} and ${COMPOSE_TLS_FILES.key}, for the fronts of
\`docker compose --profile h2 up\` to terminate TLS with. Files already there are replaced. Needs
the openssl command.

Options:
${optionsHelp(certOptionSpecs)}`;

export interface CertIo {
  out?: (line: string) => void;
  err?: (line: string) => void;
}

export async function runCertCommand(argv: string[], io: CertIo = {}): Promise<number> {
  const out = io.out ?? ((line: string) => console.log(line));
  const err = io.err ?? ((line: string) => console.error(line));
  if (argv.includes('--help') || argv.includes('-h')) {
    out(HELP);
    return 0;
  }
  let options;
  try {
    options = resolveOptions(certOptionSpecs, { argv, command: 'cert' });
  } catch (e) {
    if (e instanceof OptionError) {
      err(`${e.message}\nTry ws-proxy-bench cert --help.`); // the message names the command (withCommand)
      return 2;
    }
    throw e;
  }
  const dir = resolve(options.out);
  let written;
  try {
    written = await writeComposeCertificate(dir, options.days);
  } catch (e) {
    err(`cert: ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  }
  out(`cert: wrote ${written.cert} (valid ${options.days} days, for localhost and 127.0.0.1; trust it as the CA) and ${written.key}`);
  if (dir !== projectPath(COMPOSE_TLS_DIR)) out(`cert: compose reads ${COMPOSE_TLS_DIR} by default: set ${COMPOSE_TLS_DIR_ENV}=${dir} for it to read these`);
  out('cert: next: docker compose --profile h2 up   (Debian\'s v1: docker-compose --profile h2 up; no registry: npx ws-proxy-bench compose up --profile h2)');
  return 0;
}
