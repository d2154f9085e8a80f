import { frontSetup } from '../../../src/scenarios/fronts.js';
import { describeScenarios } from './describe-scenarios.js';
import { isFaultOrSecurity } from './families.js';

describeScenarios((s) => frontSetup(s.front).kind === 'nginx' && !isFaultOrSecurity(s));
