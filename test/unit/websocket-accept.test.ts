import { describe, expect, it } from 'vitest';
import { websocketAccept } from '../../src/websocket-accept.js';

describe('websocketAccept', () => {
  it('computes the accept value of RFC 6455’s example key', () => {
    expect(websocketAccept('dGhlIHNhbXBsZSBub25jZQ==')).toBe('s3pPLMBiTxaQ9kYGzzhZRbK+xOo=');
  });
});
