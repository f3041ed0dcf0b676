#!/usr/bin/env node
// Self-check for end2end/oidc/provider.mjs: starts the test IdP on a random
// loopback port and drives a full authorization-code + PKCE (S256) flow with a
// plain HTTP client (fetch + a tiny cookie jar), like an RP would.
// Exits non-zero on any failure.
//
//   node end2end/oidc/selfcheck.mjs            # spawns provider.mjs itself
//   OIDC_ISSUER=http://127.0.0.1:NNNN node end2end/oidc/selfcheck.mjs
//        # uses an already-running provider (must allow REDIRECT_URI below)

import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';

const REDIRECT_URI = process.env.SELFCHECK_REDIRECT_URI || 'http://127.0.0.1:9/callback';
const CLIENT_ID = process.env.OIDC_CLIENT_ID || 'dihya';
const CLIENT_SECRET = process.env.OIDC_CLIENT_SECRET || 'dihya-test-secret';

const b64url = (buf) => Buffer.from(buf).toString('base64url');
const log = (...a) => console.log('[selfcheck]', ...a);

let child;
async function startProvider() {
  if (process.env.OIDC_ISSUER) return process.env.OIDC_ISSUER;
  const script = fileURLToPath(new URL('./provider.mjs', import.meta.url));
  child = spawn(process.execPath, [script], {
    env: { ...process.env, OIDC_PORT: '0', OIDC_REDIRECT_URIS: `${REDIRECT_URI},http://127.0.0.1:9/other` },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let buf = '';
    const t = setTimeout(() => reject(new Error('provider did not start within 15s')), 15000);
    child.on('exit', (code) => reject(new Error(`provider exited early (code ${code})`)));
    child.stdout.on('data', (d) => {
      buf += d;
      const m = /^OIDC_ISSUER=(\S+)$/m.exec(buf);
      if (m) { clearTimeout(t); resolve(m[1]); }
    });
  });
}

class Jar {
  #c = new Map(); // name -> {value, path}
  store(res) {
    for (const sc of res.headers.getSetCookie()) {
      const [pair, ...attrs] = sc.split(';');
      const i = pair.indexOf('=');
      const name = pair.slice(0, i).trim();
      const value = pair.slice(i + 1).trim();
      const pathAttr = attrs.map((a) => a.trim()).find((a) => /^path=/i.test(a));
      const path = pathAttr ? pathAttr.slice(5) : '/';
      const expired = attrs.some((a) => /^expires=/i.test(a.trim()) && Date.parse(a.trim().slice(8)) < Date.now())
        || attrs.some((a) => /^max-age=0$/i.test(a.trim()));
      const key = `${name}|${path}`;
      if (expired || value === '') this.#c.delete(key); else this.#c.set(key, { name, value, path });
    }
  }
  header(url) {
    const p = new URL(url).pathname;
    return [...this.#c.values()]
      .filter((c) => p === c.path || p.startsWith(c.path.endsWith('/') ? c.path : `${c.path}/`) || c.path === '/')
      .map((c) => `${c.name}=${c.value}`).join('; ');
  }
}

async function req(jar, url, init = {}) {
  const headers = new Headers(init.headers);
  const cookie = jar.header(url);
  if (cookie) headers.set('cookie', cookie);
  const res = await fetch(url, { ...init, headers, redirect: 'manual' });
  jar.store(res);
  return res;
}

// Follow redirects manually until we land on REDIRECT_URI (not fetched) or a non-redirect.
async function follow(jar, res, base) {
  for (let i = 0; i < 10; i += 1) {
    if (res.status < 300 || res.status >= 400) return { res };
    const loc = new URL(res.headers.get('location'), base).href;
    if (loc.startsWith(REDIRECT_URI)) return { callback: new URL(loc) };
    res = await req(jar, loc);
    base = loc;
  }
  throw new Error('too many redirects');
}

function decodeJwt(jwt) {
  const [h, p] = jwt.split('.');
  return { header: JSON.parse(Buffer.from(h, 'base64url')), payload: JSON.parse(Buffer.from(p, 'base64url')) };
}

async function flow(issuer, meta, login) {
  const jar = new Jar();
  const verifier = b64url(randomBytes(32));
  const challenge = b64url(createHash('sha256').update(verifier).digest());
  const state = b64url(randomBytes(16));
  const nonce = b64url(randomBytes(16));
  const authUrl = new URL(meta.authorization_endpoint);
  authUrl.search = new URLSearchParams({
    response_type: 'code', client_id: CLIENT_ID, redirect_uri: REDIRECT_URI,
    scope: 'openid email profile groups', state, nonce,
    code_challenge: challenge, code_challenge_method: 'S256',
  });

  let { res, callback } = await follow(jar, await req(jar, authUrl.href), authUrl.href);
  assert.ok(!callback, 'expected an interaction (login) page before the callback');
  assert.equal(res.status, 200, `login page status ${res.status}`);
  const html = await res.text();
  assert.match(html, /<input[^>]*name="login"/, 'login page has input name=login');
  assert.match(html, /Username/, 'login page has "Username" label');
  const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
  assert.ok(action, 'login form action');
  const postUrl = new URL(action.replace(/&amp;/g, '&'), res.url || meta.issuer).href;

  const posted = await req(jar, new URL(action, issuer).href, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ login }).toString(),
  });
  ({ res, callback } = await follow(jar, posted, postUrl));
  if (!callback) throw new Error(`no callback; ended at ${res.status}: ${(await res.text()).slice(0, 500)}`);
  assert.equal(callback.searchParams.get('state'), state, 'state round-trips');
  assert.equal(callback.searchParams.get('iss'), meta.issuer, 'RFC 9207 iss param');
  const code = callback.searchParams.get('code');
  assert.ok(code, `callback has code: ${callback}`);

  const tokenRes = await fetch(meta.token_endpoint, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(`${encodeURIComponent(CLIENT_ID)}:${encodeURIComponent(CLIENT_SECRET)}`).toString('base64')}`,
    },
    body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, code_verifier: verifier }).toString(),
  });
  const tokens = await tokenRes.json();
  assert.equal(tokenRes.status, 200, `token endpoint: ${JSON.stringify(tokens)}`);
  assert.ok(tokens.id_token && tokens.access_token, 'id_token and access_token issued');
  const { header, payload } = decodeJwt(tokens.id_token);
  assert.equal(header.alg, 'RS256');
  assert.equal(payload.iss, meta.issuer);
  assert.equal(payload.aud, CLIENT_ID);
  assert.equal(payload.nonce, nonce);
  assert.equal(payload.sub, login);
  return { header, payload, tokens, code, verifier };
}

let failed = false;
try {
  const issuer = await startProvider();
  log('issuer', issuer);

  const metaRes = await fetch(`${issuer}/.well-known/openid-configuration`);
  assert.equal(metaRes.status, 200);
  const meta = await metaRes.json();
  assert.equal(meta.issuer, issuer);
  assert.deepEqual(meta.code_challenge_methods_supported, ['S256']);
  assert.ok(meta.token_endpoint_auth_methods_supported.includes('client_secret_basic'));
  for (const s of ['openid', 'email', 'profile', 'groups']) assert.ok(meta.scopes_supported.includes(s), `scope ${s}`);
  assert.ok(meta.claims_supported.includes('groups'), 'groups in claims_supported');
  log('discovery ok:', JSON.stringify({ authorization_endpoint: meta.authorization_endpoint, token_endpoint: meta.token_endpoint, jwks_uri: meta.jwks_uri }));

  const jwks = await (await fetch(meta.jwks_uri)).json();
  assert.ok(jwks.keys.length >= 1 && !('d' in jwks.keys[0]), 'public JWKS only');

  // alice: full claim set in the ID token.
  const alice = await flow(issuer, meta, 'alice');
  log('alice id_token header:', JSON.stringify(alice.header));
  log('alice id_token claims:', JSON.stringify(alice.payload));
  assert.equal(alice.payload.email, 'alice@idp.test');
  assert.equal(alice.payload.email_verified, true);
  assert.equal(alice.payload.name, 'Alice Admin');
  assert.deepEqual(alice.payload.groups, ['dihya-devops']);

  // Code replay must fail.
  const replay = await fetch(meta.token_endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString('base64')}` },
    body: new URLSearchParams({ grant_type: 'authorization_code', code: alice.code, redirect_uri: REDIRECT_URI, code_verifier: alice.verifier }).toString(),
  });
  assert.equal(replay.status, 400, 'code replay rejected');

  // bob: unverified email.
  const bob = await flow(issuer, meta, 'bob');
  log('bob id_token claims:', JSON.stringify(bob.payload));
  assert.equal(bob.payload.email_verified, false);
  assert.deepEqual(bob.payload.groups, ['dihya-users']);

  // PKCE is required: an authorization request without code_challenge must be refused.
  const noPkce = new URL(meta.authorization_endpoint);
  noPkce.search = new URLSearchParams({ response_type: 'code', client_id: CLIENT_ID, redirect_uri: REDIRECT_URI, scope: 'openid', state: 'x' });
  const r = await fetch(noPkce, { redirect: 'manual' });
  const loc = r.headers.get('location') || '';
  assert.ok(loc.startsWith(REDIRECT_URI) && new URL(loc).searchParams.get('error') === 'invalid_request', `PKCE enforced (got ${r.status} ${loc})`);
  log('PKCE enforced:', new URL(loc).searchParams.get('error_description'));

  // Unregistered redirect_uri is refused (no redirect).
  const badRedirect = new URL(meta.authorization_endpoint);
  badRedirect.search = new URLSearchParams({ response_type: 'code', client_id: CLIENT_ID, redirect_uri: 'http://127.0.0.1:9/evil', scope: 'openid', code_challenge: 'a'.repeat(43), code_challenge_method: 'S256' });
  const rb = await fetch(badRedirect, { redirect: 'manual' });
  assert.equal(rb.status, 400, 'unregistered redirect_uri rejected');

  log('OK');
} catch (err) {
  failed = true;
  console.error('[selfcheck] FAILED:', err);
} finally {
  if (child) {
    child.removeAllListeners('exit');
    const exited = new Promise((res) => child.once('exit', (code, sig) => res({ code, sig })));
    child.kill('SIGTERM');
    const { code, sig } = await exited;
    log(`provider stopped (code=${code}, signal=${sig})`);
    if (code !== 0) failed = true;
  }
}
process.exit(failed ? 1 : 0);
