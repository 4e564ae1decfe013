// openid-client, as published, as the relying party of a real Cognate: discovery from the
// pool's issuer URL, a code + PKCE login through the hosted login page (posted with fetch,
// as a browser would), the token exchange with the ID token checked, and userinfo. Nothing
// in the library is changed; only the issuer URL points at Cognate (plain HTTP on
// loopback, hence allowInsecureRequests).
//
// Run: cargo build && (cd tests/compat && npm ci && npm test)

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import * as client from 'openid-client';

const here = dirname(fileURLToPath(import.meta.url));
const binary = process.env.COGNATE_BIN ?? join(here, '..', '..', 'target', 'debug', 'cognate');
const PASSWORD = 'Corr3ct-horse!';
const CALLBACK = 'http://localhost:4200/callback';

let server;
let base;
let dataDir;

before(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'cognate-oidc-'));
  server = spawn(binary, ['serve'], {
    env: {
      ...process.env,
      COGNATE_LISTEN: '127.0.0.1:0',
      COGNATE_DATABASE_URL: `sqlite://${dataDir}/cognate.db`,
      COGNATE_LOG_FORMAT: 'json',
      RUST_LOG: 'info',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  base = await new Promise((resolve, reject) => {
    server.on('exit', (code) => reject(new Error(`cognate exited with ${code}`)));
    createInterface({ input: server.stderr }).on('line', (line) => {
      try {
        const event = JSON.parse(line);
        if (event.message === 'cognate listening') resolve(event.public_url);
      } catch {
        // not a log line of ours
      }
    });
  });
});

after(() => {
  server?.kill('SIGTERM');
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

/** An admin call; local mode accepts any well-formed SigV4 header. */
async function admin(operation, body) {
  const reply = await fetch(base, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': `AWSCognitoIdentityProviderService.${operation}`,
      authorization:
        'AWS4-HMAC-SHA256 Credential=local/20260101/us-east-1/cognito-idp/aws4_request, ' +
        'SignedHeaders=host;x-amz-date, Signature=00',
    },
    body: JSON.stringify(body),
  });
  const json = await reply.json();
  assert.equal(reply.status, 200, `${operation}: ${JSON.stringify(json)}`);
  return json;
}

/** A pool with a public code-flow client and a confirmed user `ana`. */
async function setUp() {
  const { UserPool } = await admin('CreateUserPool', { PoolName: 'oidc-rp' });
  const { UserPoolClient } = await admin('CreateUserPoolClient', {
    UserPoolId: UserPool.Id,
    ClientName: 'spa',
    AllowedOAuthFlowsUserPoolClient: true,
    AllowedOAuthFlows: ['code'],
    AllowedOAuthScopes: ['openid', 'email'],
    CallbackURLs: [CALLBACK],
    SupportedIdentityProviders: ['COGNITO'],
  });
  await admin('AdminCreateUser', {
    UserPoolId: UserPool.Id,
    Username: 'ana',
    MessageAction: 'SUPPRESS',
    UserAttributes: [
      { Name: 'email', Value: 'ana@example.com' },
      { Name: 'email_verified', Value: 'true' },
    ],
  });
  await admin('AdminSetUserPassword', {
    UserPoolId: UserPool.Id,
    Username: 'ana',
    Password: PASSWORD,
    Permanent: true,
  });
  return { poolId: UserPool.Id, clientId: UserPoolClient.ClientId };
}

/** The browser's part: authorize, the login page, the form posted; the callback URL. */
async function signInAt(authorizeUrl) {
  const start = await fetch(authorizeUrl, { redirect: 'manual' });
  assert.equal(start.status, 302);
  const loginUrl = new URL(start.headers.get('location'), base);
  const page = await fetch(loginUrl, { redirect: 'manual' });
  assert.equal(page.status, 200);
  const html = await page.text();
  const csrf = /name="_csrf" value="([^"]+)"/.exec(html)[1];
  const cookie = page.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const submitted = await fetch(loginUrl, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
    body: new URLSearchParams({ _csrf: csrf, username: 'ana', password: PASSWORD }),
  });
  assert.equal(submitted.status, 302, await submitted.text());
  return new URL(submitted.headers.get('location'));
}

test('openid-client completes a code + PKCE login with only the issuer URL changed', async () => {
  const { poolId, clientId } = await setUp();
  const issuer = new URL(`${base}/${poolId}`);
  const config = await client.discovery(issuer, clientId, undefined, client.None(), {
    execute: [client.allowInsecureRequests],
  });
  assert.equal(config.serverMetadata().issuer, issuer.href.replace(/\/$/, ''));

  const verifier = client.randomPKCECodeVerifier();
  const challenge = await client.calculatePKCECodeChallenge(verifier);
  const state = client.randomState();
  const nonce = client.randomNonce();
  const authorizeUrl = client.buildAuthorizationUrl(config, {
    redirect_uri: CALLBACK,
    scope: 'openid email',
    code_challenge: challenge,
    code_challenge_method: 'S256',
    state,
    nonce,
  });
  const callback = await signInAt(authorizeUrl);
  assert.ok(callback.href.startsWith(CALLBACK), callback.href);

  const tokens = await client.authorizationCodeGrant(config, callback, {
    pkceCodeVerifier: verifier,
    expectedState: state,
    expectedNonce: nonce,
    idTokenExpected: true,
  });
  const claims = tokens.claims();
  assert.equal(claims['cognito:username'], 'ana');
  assert.equal(claims.email, 'ana@example.com');
  assert.equal(claims.aud, clientId);
  assert.ok(tokens.refresh_token, 'a refresh token');

  const info = await client.fetchUserInfo(config, tokens.access_token, claims.sub);
  assert.equal(info.email, 'ana@example.com');

  const refreshed = await client.refreshTokenGrant(config, tokens.refresh_token);
  assert.ok(refreshed.access_token);
});
