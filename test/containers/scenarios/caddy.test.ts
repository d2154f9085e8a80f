import { describeSuite } from './describe-scenarios.js';

describeSuite(import.meta.url);
