// The practice cluster's self-signed certificate must load every time (a random serial once made
// one certificate in ~128 invalid DER, and the server failed to start).
import { createSecureContext } from 'node:tls';
import { expect, it } from 'vitest';
import { selfSignedCertificate } from '../../src/practice/tls.js';

it('makes certificates that TLS accepts, whatever the random serial', () => {
  for (let i = 0; i < 500; i++) {
    const { cert, key } = selfSignedCertificate();
    expect(() => createSecureContext({ cert, key })).not.toThrow();
  }
});
