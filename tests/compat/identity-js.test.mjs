// amazon-cognito-identity-js, as published, against a real Cognate: SRP sign-in, a TOTP
// challenge, a remembered device, and a device sign-in that skips MFA. Nothing in the library
// is changed; only the endpoint points at Cognate.
//
// Run: cargo build && (cd tests/compat && npm ci && npm test)

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHmac, webcrypto } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import {
  AuthenticationDetails,
  CognitoUser,
  CognitoUserAttribute,
  CognitoUserPool,
} from 'amazon-cognito-identity-js';

if (!globalThis.crypto) globalThis.crypto = webcrypto;

const here = dirname(fileURLToPath(import.meta.url));
const binary = process.env.COGNATE_BIN ?? join(here, '..', '..', 'target', 'debug', 'cognate');
const PASSWORD = 'Corr3ct-horse!';

let server;
let base;
let dataDir;

before(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'cognate-compat-'));
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

function base32Decode(text) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of text.replace(/=+$/, '').toUpperCase()) {
    bits += alphabet.indexOf(c).toString(2).padStart(5, '0');
  }
  const bytes = [];
  for (let i = 0; i + 8 <= bits.length; i += 8) bytes.push(parseInt(bits.slice(i, i + 8), 2));
  return Buffer.from(bytes);
}

/** RFC 6238: HMAC-SHA1, six digits, 30-second steps. */
function totp(secret, seconds = Date.now() / 1000) {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(seconds / 30)));
  const mac = createHmac('sha1', base32Decode(secret)).update(counter).digest();
  const offset = mac[mac.length - 1] & 0xf;
  const value = (mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000;
  return value.toString().padStart(6, '0');
}

function memoryStorage() {
  const items = new Map();
  return {
    setItem: (k, v) => items.set(k, String(v)),
    getItem: (k) => (items.has(k) ? items.get(k) : null),
    removeItem: (k) => items.delete(k),
    clear: () => items.clear(),
  };
}

/** Signs in with SRP; resolves with what happened, answering TOTP when asked. */
function signIn(pool, username, totpCode) {
  const user = new CognitoUser({ Username: username, Pool: pool, Storage: pool.storage });
  const details = new AuthenticationDetails({ Username: username, Password: PASSWORD });
  return new Promise((resolve, reject) => {
    const steps = [];
    const callbacks = {
      onSuccess: (session, userConfirmationNecessary) =>
        resolve({ user, session, steps, userConfirmationNecessary }),
      onFailure: reject,
      totpRequired: (challenge) => {
        steps.push(challenge);
        if (!totpCode) return reject(new Error('unexpected TOTP challenge'));
        user.sendMFACode(totpCode(), callbacks, 'SOFTWARE_TOKEN_MFA');
      },
      mfaRequired: () => reject(new Error('unexpected SMS challenge')),
      mfaSetup: () => reject(new Error('unexpected MFA setup')),
      newPasswordRequired: () => reject(new Error('unexpected new password')),
    };
    user.authenticateUser(details, callbacks);
  });
}

const call = (fn) => new Promise((resolve, reject) => fn((err, data) => (err ? reject(err) : resolve(data))));

test('SRP sign-in, TOTP challenge, remembered device, device sign-in', async () => {
  const created = await admin('CreateUserPool', { PoolName: 'compat', AutoVerifiedAttributes: ['email'] });
  const poolId = created.UserPool.Id;
  const client = await admin('CreateUserPoolClient', {
    UserPoolId: poolId,
    ClientName: 'web',
    ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
  });
  const storage = memoryStorage();
  const pool = new CognitoUserPool({
    UserPoolId: poolId,
    ClientId: client.UserPoolClient.ClientId,
    endpoint: base,
    Storage: storage,
  });

  // Sign-up and confirmation through the library, with the code from the dev outbox.
  await call((cb) => pool.signUp('zoe', PASSWORD, [new CognitoUserAttribute({ Name: 'email', Value: 'zoe@example.com' })], null, cb));
  const outbox = await (await fetch(`${base}/_dev/outbox?pool_id=${poolId}&username=zoe`)).json();
  const signUpUser = new CognitoUser({ Username: 'zoe', Pool: pool, Storage: storage });
  await call((cb) => signUpUser.confirmRegistration(outbox[0].code, true, cb));

  // 1. SRP sign-in.
  const first = await signIn(pool, 'zoe');
  assert.equal(first.session.getIdToken().payload['cognito:username'], 'zoe');
  assert.equal(first.session.getIdToken().payload.email_verified, true);

  // Set up TOTP with the library.
  await admin('SetUserPoolMfaConfig', {
    UserPoolId: poolId,
    SoftwareTokenMfaConfiguration: { Enabled: true },
    MfaConfiguration: 'OPTIONAL',
  });
  const secret = await new Promise((resolve, reject) =>
    first.user.associateSoftwareToken({ associateSecretCode: resolve, onFailure: reject }),
  );
  await new Promise((resolve, reject) =>
    first.user.verifySoftwareToken(totp(secret), 'authenticator', { onSuccess: resolve, onFailure: reject }),
  );
  await call((cb) => first.user.setUserMfaPreference(null, { PreferredMfa: true, Enabled: true }, cb));

  // Track devices from now on, remembered when the user says so. (UpdateUserPool resets what
  // it is not given, as in Cognito, so MFA stays on only by saying so again.)
  await admin('UpdateUserPool', {
    UserPoolId: poolId,
    AutoVerifiedAttributes: ['email'],
    MfaConfiguration: 'OPTIONAL',
    DeviceConfiguration: { ChallengeRequiredOnNewDevice: true, DeviceOnlyRememberedOnUserPrompt: true },
  });

  // 2. SRP, then the TOTP challenge (the next step's code: verification spent this one).
  const second = await signIn(pool, 'zoe', () => totp(secret, Date.now() / 1000 + 30));
  assert.equal(second.steps.length, 1, 'one TOTP challenge');
  assert.equal(second.userConfirmationNecessary, true, 'the library confirmed the new device');
  const deviceKey = second.session.getAccessToken().payload.device_key;
  assert.match(deviceKey, /^us-east-1_/);

  // 3. Remember the device.
  await new Promise((resolve, reject) =>
    second.user.setDeviceStatusRemembered({ onSuccess: resolve, onFailure: reject }),
  );
  const device = await new Promise((resolve, reject) =>
    second.user.getDevice({ onSuccess: resolve, onFailure: reject }),
  );
  const remembered = device.Device.DeviceAttributes.find((a) => a.Name === 'dev:device_remembered_status');
  assert.equal(remembered.Value, 'remembered');

  // 4. Sign in again: the device's SRP proof replaces MFA.
  const third = await signIn(pool, 'zoe');
  assert.equal(third.steps.length, 0, 'no MFA from a remembered device');
  assert.equal(third.session.getAccessToken().payload.device_key, deviceKey);

  // And the session refreshes through the library.
  const refreshed = await call((cb) => third.user.refreshSession(third.session.getRefreshToken(), cb));
  assert.equal(refreshed.getAccessToken().payload.device_key, deviceKey);
});

test('a wrong password is refused with Cognito\'s error', async () => {
  const created = await admin('CreateUserPool', { PoolName: 'compat2' });
  const client = await admin('CreateUserPoolClient', {
    UserPoolId: created.UserPool.Id,
    ClientName: 'web',
    ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
  });
  const pool = new CognitoUserPool({
    UserPoolId: created.UserPool.Id,
    ClientId: client.UserPoolClient.ClientId,
    endpoint: base,
    Storage: memoryStorage(),
  });
  await call((cb) => pool.signUp('ann', PASSWORD, [], null, cb));
  await admin('AdminConfirmSignUp', { UserPoolId: created.UserPool.Id, Username: 'ann' });
  const user = new CognitoUser({ Username: 'ann', Pool: pool, Storage: pool.storage });
  const details = new AuthenticationDetails({ Username: 'ann', Password: 'Wr0ng-password!' });
  const err = await new Promise((resolve) =>
    user.authenticateUser(details, { onSuccess: () => resolve(null), onFailure: resolve }),
  );
  assert.equal(err?.code, 'NotAuthorizedException');
  assert.equal(err?.message, 'Incorrect username or password.');
});
