/** The faults and security families against the httpd front: restarts, freezes, hostile input, security defaults. */
import { describeSuite } from './describe-scenarios.js';

describeSuite(import.meta.url);
