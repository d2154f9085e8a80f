/** The nghttpx scenarios of the catalog (see suites.ts). */
import { describeSuite } from './describe-scenarios.js';

describeSuite(import.meta.url);
