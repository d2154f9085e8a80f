/**
 * What changed between release lines, for each check whose verdict or figure differs between
 * Debian suites in `npm run bench:matrix` ("<scenario id> <check id>" → the explanation). The
 * generated docs/compatibility.md prints these beside the differing cells; a difference without
 * a note is printed as unexplained, and the bench fails on it.
 */
export const COMPATIBILITY_NOTES: Readonly<Record<string, string>> = {
  'nginx-no-http11/handshake-fails handshake':
    'nginx 1.30 makes `proxy_http_version 1.1` the default (nginx CHANGES-1.30), so a config without the line no longer sends the ' +
    'upgrade upstream as HTTP/1.0: the app answers 101. nginx 1.22 and 1.26 still send HTTP/1.0 and the app refuses it with 400. ' +
    'Keep `proxy_http_version 1.1` in the config: it works on every version, and the Upgrade/Connection headers are still needed on 1.30.',
};
