// ServiceAccount tokens as the API server issues them (TokenRequest, `kubectl create token`): ES256
// JWTs with upstream's claims (iss/aud `https://kubernetes.default.svc.cluster.local`, sub
// `system:serviceaccount:<ns>:<name>`, `kubernetes.io` with the account's uid, exp, jti). The
// signing key lives in the data directory (0600) so tokens outlive a restart, as on a cluster.
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  randomUUID,
  sign,
  verify,
} from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** ISSUER is the token issuer and default audience of a kind cluster. */
export const ISSUER = 'https://kubernetes.default.svc.cluster.local';

/** ServiceAccountClaims are the claims of a ServiceAccount token. */
export interface ServiceAccountClaims {
  aud: string[];
  exp: number;
  iat: number;
  nbf: number;
  iss: string;
  jti: string;
  sub: string;
  'kubernetes.io': {
    namespace: string;
    serviceaccount: { name: string; uid: string };
    pod?: { name: string; uid: string };
    secret?: { name: string; uid: string };
  };
}

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

/** TokenSigner signs and verifies ServiceAccount tokens with one EC P-256 key. */
export class TokenSigner {
  private readonly privateKey: KeyObject;
  private readonly publicKey: KeyObject;
  readonly keyId: string;

  /** Loads `<dataDir>/sa-signer.key`, making it on first use (or keeps a key in memory only). */
  constructor(dataDir: string | undefined) {
    const file = dataDir ? join(dataDir, 'sa-signer.key') : undefined;
    if (file && existsSync(file)) this.privateKey = createPrivateKey(readFileSync(file));
    else {
      this.privateKey = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey;
      if (file)
        writeFileSync(file, this.privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
    }
    this.publicKey = createPublicKey(this.privateKey);
    const der = this.publicKey.export({ type: 'spki', format: 'der' });
    this.keyId = createHash('sha256').update(der).digest('base64url');
  }

  /** issue makes a token for a ServiceAccount valid for `seconds`. */
  issue(
    account: { namespace: string; name: string; uid: string },
    seconds: number,
    audiences: string[],
    bound?: { pod?: { name: string; uid: string }; secret?: { name: string; uid: string } },
  ): { token: string; claims: ServiceAccountClaims } {
    const now = Math.floor(Date.now() / 1000);
    const claims: ServiceAccountClaims = {
      aud: audiences,
      exp: now + seconds,
      iat: now,
      iss: ISSUER,
      jti: randomUUID(),
      'kubernetes.io': {
        namespace: account.namespace,
        serviceaccount: { name: account.name, uid: account.uid },
        ...bound,
      },
      nbf: now,
      sub: `system:serviceaccount:${account.namespace}:${account.name}`,
    };
    const input = `${b64({ alg: 'ES256', kid: this.keyId })}.${b64(claims)}`;
    const signature = sign('sha256', Buffer.from(input), { key: this.privateKey, dsaEncoding: 'ieee-p1363' });
    return { token: `${input}.${signature.toString('base64url')}`, claims };
  }

  /** verify returns the claims of a valid, unexpired token this signer made, else undefined. */
  verify(token: string, audience = ISSUER): ServiceAccountClaims | undefined {
    const parts = token.split('.');
    if (parts.length !== 3) return undefined;
    const [head, body, sig] = parts as [string, string, string];
    try {
      const header = JSON.parse(Buffer.from(head, 'base64url').toString('utf8')) as {
        alg?: string;
        kid?: string;
      };
      if (header.alg !== 'ES256' || header.kid !== this.keyId) return undefined;
      const ok = verify(
        'sha256',
        Buffer.from(`${head}.${body}`),
        { key: this.publicKey, dsaEncoding: 'ieee-p1363' },
        Buffer.from(sig, 'base64url'),
      );
      if (!ok) return undefined;
      const claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as ServiceAccountClaims;
      const now = Math.floor(Date.now() / 1000);
      if (claims.iss !== ISSUER || !(claims.exp > now) || claims.nbf > now + 60) return undefined;
      if (!Array.isArray(claims.aud) || !claims.aud.includes(audience)) return undefined;
      return claims;
    } catch {
      return undefined;
    }
  }
}
