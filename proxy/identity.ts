/** How the front names itself on every response it writes (never on what it relays). */
import { VERSION } from '../src/version.js';

export const FRONT_HEADER = 'X-Front';
export const FRONT_IDENTITY = `http-front/${VERSION}`;
