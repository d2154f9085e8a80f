import { frontSetup } from '../../../src/fronts/index.js';
import { describeScenarios } from './describe-scenarios.js';
import { isFaultOrSecurity } from './families.js';

describeScenarios((s) => frontSetup(s.front).kind === 'http-front' && !isFaultOrSecurity(s));
