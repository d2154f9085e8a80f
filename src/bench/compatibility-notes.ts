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
  'haproxy-h2/h2-keepalive h2-idle-cut':
    'The cut comes at the same time on every version; how it reaches the client differs: HAProxy 2.6 resets the idle stream (RST_STREAM CANCEL), ' +
    'HAProxy 3.0 and 3.2 end it (the stream closes): either way the client sees 1006, no close frame.',
  'caddy/reload reload':
    'Not a version difference (bookworm and trixie both ship Caddy 2.6.2): the close code Caddy gives the WebSockets a reload drops varies from run to run, ' +
    '1001 "going away" for most, at times 1002 for one.',
  'caddy-drain/reload-bounded config-refused':
    '`stream_close_delay` came with Caddy 2.7: Caddy 2.6.2 (bookworm, trixie) refuses the file at start ("unrecognized subdirective"); ' +
    'Caddy 2.11.4 (sid) takes it and keeps the WebSockets open for the delay after each reload, then closes them (1001).',
  'caddy/hostile-input slow-headers-cut':
    'Caddy 2.6.2 cuts a handshake that trickles its headers at `read_header` (3 s) and answers 400; Caddy 2.11.4 (sid) did not cut it at 3 s: ' +
    'it closed the connection, without an answer, only after 13 s (13 bytes in). Do not count on read_header as a slowloris guard on that version.',
};
