// A real OpenID provider (panva/oidc-provider, certified) for tests/accounts, on loopback only.
//
// Configured by environment variables so each test can start the misbehaving provider it needs:
//   OIDC_CLIENT_ID, OIDC_CLIENT_SECRET, OIDC_REDIRECT_URIS (comma separated)
//   OIDC_ISSUER              announce this issuer instead of the address it is served on
//   OIDC_ADVERTISE_OTHER_KEY  "1": publish a JWKS whose key is not the one that signs ID tokens
// Accounts: the dev login form accepts any email with any password; an address whose local part
// starts with "unverified" is asserted with email_verified false.
// Prints "listening <port>" on stdout once it accepts connections.
import { generateKeyPairSync } from "node:crypto";
import http from "node:http";

import Provider from "oidc-provider";

const env = process.env;

function signingKey(kid) {
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  return { ...privateKey.export({ format: "jwk" }), kid, alg: "RS256", use: "sig" };
}

function publicPart({ kty, n, e, kid, alg, use }) {
  return { kty, n, e, kid, alg, use };
}

const key = signingKey("test-key");
// Same kid, different key: a verifier that trusts the published JWKS must reject our tokens.
const otherKey = signingKey("test-key");

const server = http.createServer();
server.listen(0, "127.0.0.1", () => {
  const { port } = server.address();
  const issuer = env.OIDC_ISSUER || `http://127.0.0.1:${port}`;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: env.OIDC_CLIENT_ID || "safeguarding",
        client_secret: env.OIDC_CLIENT_SECRET || "test-secret",
        redirect_uris: (env.OIDC_REDIRECT_URIS || "").split(",").filter(Boolean),
        grant_types: ["authorization_code"],
        response_types: ["code"],
        token_endpoint_auth_method: "client_secret_post",
      },
    ],
    jwks: { keys: [key] },
    cookies: { keys: ["loopback-test-cookie-key"] },
    claims: {
      openid: ["sub"],
      email: ["email", "email_verified"],
      profile: ["given_name", "family_name", "name"],
    },
    // Put the profile in the ID token too, as Entra ID does.
    conformIdTokenClaims: false,
    pkce: { required: () => true },
    features: { devInteractions: { enabled: true } },
    async findAccount(ctx, id) {
      const email = id.includes("@") ? id.toLowerCase() : `${id}@example.org`;
      const local = email.split("@")[0];
      return {
        accountId: id,
        async claims() {
          return {
            sub: id,
            email,
            email_verified: !local.startsWith("unverified"),
            given_name: "Sam",
            family_name: "Provider",
            name: "Sam Provider",
          };
        },
      };
    },
  });
  provider.proxy = false;
  if (env.OIDC_ADVERTISE_OTHER_KEY === "1") {
    provider.use(async (ctx, next) => {
      if (ctx.path === "/jwks") {
        ctx.type = "application/jwk-set+json";
        ctx.body = { keys: [publicPart(otherKey)] };
        return;
      }
      await next();
    });
  }
  server.on("request", provider.callback());
  process.stdout.write(`listening ${port}\n`);
});

process.on("SIGTERM", () => server.close(() => process.exit(0)));
