/** The faults and security families against the http-front front (issue 7): restarts, freezes, hostile input, security defaults. */
import { frontSetup } from '../../../src/fronts/index.js';
import { describeScenarios } from './describe-scenarios.js';
import { isFaultOrSecurity } from './families.js';

describeScenarios((s) => frontSetup(s.front).kind === 'http-front' && isFaultOrSecurity(s));
