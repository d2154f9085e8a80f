/** The socketio and replicas families against the nginx front: the socket.io app, sticky sessions, replicas and a rolling restart. */
import { describeSuite } from './describe-scenarios.js';

describeSuite(import.meta.url);
