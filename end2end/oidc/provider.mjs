#!/usr/bin/env node
// Test-only OpenID Provider for Dihya Ops SSO end-to-end tests.
//
// Built on the `oidc-provider` npm package (dev dependency). Listens on
// 127.0.0.1 only, keeps everything in memory, and has no passwords: the login
// form takes an account id and the consent prompt is granted automatically.
// NEVER use this for anything but local tests.
//
// Env:
//   OIDC_PORT            port to listen on (default 0 = random)
//   OIDC_CLIENT_ID       client id (default "dihya")
//   OIDC_CLIENT_SECRET   client secret (default "dihya-test-secret")
//   OIDC_REDIRECT_URIS   comma-separated allowed redirect URIs (required)
//   OIDC_POST_LOGOUT_REDIRECT_URIS  optional, comma-separated
//   OIDC_VERBOSE=1       keep oidc-provider's development warnings on stderr
//
// Once listening, prints exactly one line to stdout:
//   OIDC_ISSUER=http://127.0.0.1:<port>
//
// Accounts (use the id as "Username"):
//   alice  alice@idp.test  email_verified=true   groups=["dihya-devops"]
//   bob    bob@idp.test    email_verified=false  groups=["dihya-users"]
//   carol  carol@idp.test  email_verified=true   groups=["dihya-admins"]
//   dave   dave@idp.test   email_verified=true   groups=[]   (no Dihya group)
//
// Scopes: openid, email (email, email_verified), profile (name,
// preferred_username), groups (groups). Because `conformIdTokenClaims` is
// false, all granted claims are put in the ID token (not only at userinfo).

import { createServer } from 'node:http';
import { generateKeyPairSync, randomBytes } from 'node:crypto';

// oidc-provider 9 warns about development-only defaults (in-memory adapter)
// and about Node < 22. Both are expected for a loopback test IdP; drop them
// unless OIDC_VERBOSE=1.
if (process.env.OIDC_VERBOSE !== '1') {
  const warn = console.warn.bind(console);
  console.warn = (...args) => {
    if (typeof args[0] === 'string' && args[0].includes('oidc-provider WARNING')) return;
    warn(...args);
  };
}

const { default: Provider } = await import('oidc-provider');

const PORT = Number.parseInt(process.env.OIDC_PORT ?? '0', 10);
const CLIENT_ID = process.env.OIDC_CLIENT_ID || 'dihya';
const CLIENT_SECRET = process.env.OIDC_CLIENT_SECRET || 'dihya-test-secret';
const splitList = (v) => (v || '').split(',').map((s) => s.trim()).filter(Boolean);
const REDIRECT_URIS = splitList(process.env.OIDC_REDIRECT_URIS);
const POST_LOGOUT_REDIRECT_URIS = splitList(process.env.OIDC_POST_LOGOUT_REDIRECT_URIS);

if (REDIRECT_URIS.length === 0) {
  console.error('provider.mjs: OIDC_REDIRECT_URIS is required (comma-separated list)');
  process.exit(2);
}
if (!Number.isInteger(PORT) || PORT < 0 || PORT > 65535) {
  console.error(`provider.mjs: invalid OIDC_PORT ${process.env.OIDC_PORT}`);
  process.exit(2);
}

const ACCOUNTS = {
  alice: { email: 'alice@idp.test', email_verified: true, name: 'Alice Admin', groups: ['dihya-devops'] },
  bob: { email: 'bob@idp.test', email_verified: false, name: 'Bob User', groups: ['dihya-users'] },
  carol: { email: 'carol@idp.test', email_verified: true, name: 'Carol Chief', groups: ['dihya-admins'] },
  dave: { email: 'dave@idp.test', email_verified: true, name: 'Dave Nogroup', groups: [] },
};

function findAccount(_ctx, id) {
  const acct = ACCOUNTS[id];
  if (!acct) return undefined;
  return {
    accountId: id,
    // oidc-provider filters these down to what the granted scopes/claims allow.
    async claims() {
      return { sub: id, preferred_username: id, ...acct };
    },
  };
}

// Fresh signing key per run (avoids the "development-only keys" default).
const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const jwk = { ...privateKey.export({ format: 'jwk' }), kid: 'test-rs256', alg: 'RS256', use: 'sig' };

const server = createServer();
await new Promise((resolve, reject) => {
  server.once('error', reject);
  server.listen(PORT, '127.0.0.1', resolve);
});
const ISSUER = `http://127.0.0.1:${server.address().port}`;

const ALL_SCOPES = ['openid', 'email', 'profile', 'groups'];
const CLAIMS = {
  openid: ['sub'],
  email: ['email', 'email_verified'],
  profile: ['name', 'preferred_username'],
  groups: ['groups'],
};

const provider = new Provider(ISSUER, {
  clients: [{
    client_id: CLIENT_ID,
    client_secret: CLIENT_SECRET,
    redirect_uris: REDIRECT_URIS,
    post_logout_redirect_uris: POST_LOGOUT_REDIRECT_URIS,
    response_types: ['code'],
    grant_types: ['authorization_code'],
    token_endpoint_auth_method: 'client_secret_basic',
  }],
  // Also allow client_secret_post for clients that prefer it.
  clientAuthMethods: ['client_secret_basic', 'client_secret_post'],
  responseTypes: ['code'],
  scopes: ALL_SCOPES,
  claims: CLAIMS,
  conformIdTokenClaims: false, // put scope claims in the ID token, not only userinfo
  pkce: { required: () => true }, // PKCE (S256) mandatory for every client
  findAccount,
  jwks: { keys: [jwk] },
  cookies: { keys: [randomBytes(32).toString('hex')] },
  features: {
    devInteractions: { enabled: false },
    rpInitiatedLogout: { enabled: true },
  },
  interactions: {
    url: (_ctx, interaction) => `/interaction/${interaction.uid}`,
  },
  // Auto-consent: give the (single, first-party) client every scope/claim it asks for.
  async loadExistingGrant(ctx) {
    const grantId = ctx.oidc.result?.consent?.grantId
      || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    let grant = grantId ? await ctx.oidc.provider.Grant.find(grantId) : undefined;
    if (!grant || grant.accountId !== ctx.oidc.session.accountId) {
      grant = new ctx.oidc.provider.Grant({
        clientId: ctx.oidc.client.clientId,
        accountId: ctx.oidc.session.accountId,
      });
    }
    grant.addOIDCScope(ALL_SCOPES.join(' '));
    grant.addOIDCClaims(Object.values(CLAIMS).flat());
    await grant.save();
    return grant;
  },
  ttl: { Session: 3600, Interaction: 600, Grant: 3600, AuthorizationCode: 60, IdToken: 3600, AccessToken: 3600 },
  renderError(ctx, out) {
    ctx.type = 'html';
    ctx.body = page('Error', `<h1>Error</h1><pre id="error">${esc(JSON.stringify(out, null, 2))}</pre>`);
  },
});

function esc(s) {
  return String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
}

function page(title, body) {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title></head><body>${body}</body></html>`;
}

async function readForm(req) {
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > 16 * 1024) throw new Error('body too large');
    chunks.push(chunk);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

// Interaction routes (login page), mounted as koa middleware on the provider.
provider.use(async (ctx, next) => {
  const m = /^\/interaction\/([A-Za-z0-9_-]+)(\/login)?$/.exec(ctx.path);
  if (!m) return next();
  const [, uid, isLogin] = m;
  ctx.set('cache-control', 'no-store');

  let details;
  try {
    details = await provider.interactionDetails(ctx.req, ctx.res);
  } catch (err) {
    ctx.status = 400;
    ctx.type = 'html';
    ctx.body = page('Error', `<h1>Error</h1><p id="error">${esc(err.message)}</p>`);
    return undefined;
  }
  if (details.uid !== uid) {
    ctx.status = 400;
    ctx.body = 'interaction mismatch';
    return undefined;
  }

  if (!isLogin && ctx.method === 'GET') {
    if (details.prompt.name !== 'login') {
      // Consent is auto-granted by loadExistingGrant; finish anything else directly.
      const returnTo = await provider.interactionResult(ctx.req, ctx.res, {}, { mergeWithLastSubmission: true });
      ctx.status = 303;
      ctx.redirect(returnTo);
      return undefined;
    }
    const client = await provider.Client.find(details.params.client_id);
    const hint = details.params.login_hint ? esc(details.params.login_hint) : '';
    ctx.type = 'html';
    ctx.body = page('Sign in – Test IdP', `
<main>
  <h1>Test IdP sign-in</h1>
  <p>Client: <code>${esc(client?.clientId ?? '?')}</code>. Accounts: ${Object.keys(ACCOUNTS).map(esc).join(', ')}.</p>
  <form method="post" action="/interaction/${esc(uid)}/login" autocomplete="off">
    <label for="login">Username</label>
    <input id="login" name="login" type="text" value="${hint}" autofocus required>
    <button type="submit">Sign in</button>
  </form>
</main>`);
    return undefined;
  }

  if (isLogin && ctx.method === 'POST') {
    const form = await readForm(ctx.req);
    const login = (form.get('login') || '').trim();
    let result;
    if (ACCOUNTS[login]) {
      result = { login: { accountId: login, amr: ['pwd'] } };
    } else {
      result = { error: 'access_denied', error_description: `unknown test account "${login}"` };
    }
    const returnTo = await provider.interactionResult(ctx.req, ctx.res, result, { mergeWithLastSubmission: false });
    ctx.status = 303;
    ctx.redirect(returnTo);
    return undefined;
  }

  ctx.status = 405;
  ctx.body = 'method not allowed';
  return undefined;
});

provider.on('server_error', (_ctx, err) => console.error('oidc-provider server_error:', err));

server.on('request', provider.callback());
process.stdout.write(`OIDC_ISSUER=${ISSUER}\n`);

let closing = false;
function shutdown(sig) {
  if (closing) return;
  closing = true;
  console.error(`provider.mjs: ${sig}, shutting down`);
  server.close(() => process.exit(0));
  server.closeAllConnections?.();
  setTimeout(() => process.exit(0), 2000).unref();
}
process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGINT', () => shutdown('SIGINT'));
