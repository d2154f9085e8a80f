import { frontSetup } from '../../../src/fronts/index.js';
import { describeScenarios } from './describe-scenarios.js';

describeScenarios((s) => frontSetup(s.front).kind === 'haproxy');
