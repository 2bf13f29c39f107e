// panva's oidc-provider (OpenID Certified) as the authorization server of samples/oidc-provider-it.
//
//   node server.mjs <port>        (or OP_PORT=<port>)
//
// Environment:
//   OP_CLIENTS_FILE  a JSON file with the client metadata array (written by the test), or
//   OP_CLIENTS       the same JSON inline.
//   OP_RESOURCES     comma-separated resource indicators (RFC 8707) this OP issues JWT access
//                    tokens for; default urn:oidc-gate:api,urn:oidc-gate:other.
//   OP_DEFAULT_RESOURCE  the resource a request without `resource` gets; default the first one.
//   OP_DPOP_NONCE    `on`: the OP asks for a DPoP nonce (RFC 9449 section 8) at every endpoint.
//   OP_ACCESS_TOKEN_TTL  seconds an access token for a resource lives; default 300 (a test that
//                    needs a refresh soon sets a few seconds).
//   OP_REQUIRE_PAR   `on`: every client must use PAR, and the metadata says so
//                    (`require_pushed_authorization_requests`).
//
// The high-security features are on for every client, and each client asks for what it needs in
// its own registration (so one OP serves every test): PAR is offered and a client with
// `require_pushed_authorization_requests` must use it; signed request objects (JAR) are accepted
// and `require_signed_request_object` demands them; JWT response modes (JARM) are offered; DPoP
// is on, and `dpop_bound_access_tokens` demands it. A client whose id starts with `fapi2-` gets the
// FAPI 2.0 Security Profile.
//
// Prints `READY <port>` once listening. Listens on 127.0.0.1 only. Never logs a token: the OP's
// own debug output is off, and this script logs only the port and errors without request data.
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import Provider, { errors } from 'oidc-provider';

const port = Number(process.argv[2] ?? process.env.OP_PORT);
if (!Number.isInteger(port) || port <= 0) {
  console.error('usage: node server.mjs <port> (or OP_PORT)');
  process.exit(2);
}
const issuer = `http://127.0.0.1:${port}`;

const clients = JSON.parse(
  process.env.OP_CLIENTS_FILE
    ? readFileSync(process.env.OP_CLIENTS_FILE, 'utf8')
    : (process.env.OP_CLIENTS ?? '[]'),
);
const resources = (process.env.OP_RESOURCES ?? 'urn:oidc-gate:api,urn:oidc-gate:other')
  .split(',')
  .map((r) => r.trim())
  .filter(Boolean);
const defaultResource = process.env.OP_DEFAULT_RESOURCE ?? resources[0];
const accessTokenTTL = Number(process.env.OP_ACCESS_TOKEN_TTL ?? 300);
// A resource whose access tokens are opaque (same audience and scope as the others): a machine
// caller's token that the filter can only check by introspection.
const opaqueResources = ['urn:oidc-gate:opaque-api'];

// A fresh RSA signing key per run: the filter finds it through jwks_uri, like any real key, and no
// key is committed. (Without `jwks` the provider would use a fixed development key and warn.)
const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
// No `alg` on the key: it signs RS256 for most clients and PS256 for the FAPI 2.0 ones, which may
// not use RS256.
const signingKey = { ...privateKey.export({ format: 'jwk' }), kid: 'op-it', use: 'sig' };

const provider = new Provider(issuer, {
  clients,
  jwks: { keys: [signingKey] },
  // Random per run too: the OP's cookies need not survive a restart.
  cookies: { keys: [crypto.randomUUID()] },

  // Any login name is a user; the claims are made from it, so tests can sign in as anyone.
  async findAccount(_ctx, sub) {
    return {
      accountId: sub,
      async claims() {
        return { sub, email: `${sub}@example.com`, email_verified: true, name: `User ${sub}` };
      },
    };
  },
  claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },

  // Every client must use PKCE, not only public ones (the provider's default).
  pkce: { required: () => true },

  features: {
    // The provider's own login and consent pages: real HTML forms a test browser fills in.
    devInteractions: { enabled: true },
    backchannelLogout: { enabled: true },
    revocation: { enabled: true },
    introspection: { enabled: true },
    clientCredentials: { enabled: true },
    pushedAuthorizationRequests: {
      enabled: true,
      requirePushedAuthorizationRequests: process.env.OP_REQUIRE_PAR === 'on',
    },
    requestObjects: { enabled: true, requireSignedRequestObject: false },
    jwtResponseModes: { enabled: true },
    dPoP: {
      enabled: true,
      nonceSecret: Buffer.from(crypto.getRandomValues(new Uint8Array(32))),
      requireNonce: () => process.env.OP_DPOP_NONCE === 'on',
    },
    fapi: {
      enabled: true,
      profile: (_ctx, client) => (client?.clientId?.startsWith('fapi2-') ? '2.0' : undefined),
    },
    // Open dynamic registration (RFC 7591), on the loopback address only: a test registers the
    // client of its filter once the filter's port, and so its redirect URI, is known. The test
    // names the client's id and secret itself, since the filter is configured with them before it
    // listens; a real OP would make them up. No registration access token: nothing to manage.
    registration: {
      enabled: true,
      idFactory: (ctx) => ctx.oidc.body.client_id ?? crypto.randomUUID(),
      secretFactory: async (ctx) => ctx.oidc.body.client_secret ?? crypto.randomUUID(),
      issueRegistrationAccessToken: false,
    },
    // Access tokens are opaque unless they are for a resource server (RFC 8707). Every request
    // gets a resource (defaultResource, also at the token endpoint through useGrantedResource), so
    // every access token is a JWT (RFC 9068, typ at+jwt) whose aud is the resource: the filter
    // checks it like any JWT access token. Opaque tokens would leave nothing but introspection.
    resourceIndicators: {
      enabled: true,
      defaultResource: async (_ctx, _client, oneOf) => oneOf ?? defaultResource,
      useGrantedResource: async () => true,
      async getResourceServerInfo(_ctx, indicator, client) {
        if (!resources.includes(indicator) && !opaqueResources.includes(indicator)) {
          throw new errors.InvalidTarget();
        }
        return {
          audience: indicator,
          scope: 'api:read api:write',
          accessTokenFormat: opaqueResources.includes(indicator) ? 'opaque' : 'jwt',
          accessTokenTTL,
          jwt: { sign: { alg: client?.clientId?.startsWith('fapi2-') ? 'PS256' : 'RS256' } },
        };
      },
    },
  },

  // The OP's outgoing requests (back-channel logout POSTs, a client's jwks_uri) go through an
  // SSRF guard that refuses loopback addresses, but every app of these tests is on 127.0.0.1. Lift
  // the guard for 127.0.0.1 only; any other address keeps it.
  fetch(url, options) {
    if (new URL(url).hostname === '127.0.0.1') {
      delete options.dispatcher;
    }
    return globalThis.fetch(url, options);
  },

  // Short lives: a test run is short, and a stale token must not pass by accident.
  ttl: {
    AccessToken: accessTokenTTL,
    AuthorizationCode: 60,
    ClientCredentials: 300,
    IdToken: 300,
    Interaction: 600,
    Session: 3600,
    Grant: 3600,
  },
});

// Unexpected errors: only their names and messages, never the request, so no code or token
// reaches this log.
provider.on('server_error', (_ctx, err) => console.error('server_error', err.name, err.message));
// Whether each back-channel logout POST reached the app: names only, never the logout token.
provider.on('backchannel.success', (_ctx, client) => console.log('backchannel.success', client.clientId));
provider.on('backchannel.error', (_ctx, err, client) => {
  console.error('backchannel.error', client.clientId, err.name, err.message);
});

// Which client's grant a revocation ended (names only): a test's proof that logout revoked.
provider.on('grant.revoked', (ctx) => console.log('grant.revoked', ctx.oidc?.client?.clientId));

provider.listen(port, '127.0.0.1', () => {
  console.log(`READY ${port}`);
});

// The test ends this process with SIGTERM. All state is in memory, so there is nothing to flush:
// exit at once rather than wait for the browsers' keep-alive connections to close.
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => process.exit(0));
}
