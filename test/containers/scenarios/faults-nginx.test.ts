/** The faults and security families against the nginx front: restarts, freezes, hostile input, security defaults. */
import { describeSuite } from './describe-scenarios.js';

describeSuite(import.meta.url);
