import { frontSetup } from '../../../src/scenarios/fronts.js';
import { describeScenarios } from './describe-scenarios.js';

describeScenarios((s) => frontSetup(s.front).kind === 'haproxy');
