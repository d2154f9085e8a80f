/** The reload family against the haproxy front: one reload and ten in a row with WebSockets open, bounded drains. */
import { describeSuite } from './describe-scenarios.js';

describeSuite(import.meta.url);
