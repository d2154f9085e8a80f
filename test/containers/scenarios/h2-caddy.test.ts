/** The h2 family against the caddy front: WebSockets over HTTP/2 (RFC 8441), or the HTTP/1.1 fallback where it is not offered. */
import { describeSuite } from './describe-scenarios.js';

describeSuite(import.meta.url);
