// amazon-cognito-identity-js, as published, signing in with CUSTOM_AUTH against a real
// Cognate whose pool's DefineAuthChallenge, CreateAuthChallenge and
// VerifyAuthChallengeResponse are functions served here through a small Lambda Invoke API
// (what `sam local start-lambda` serves): initiateAuth, then sendCustomChallengeAnswer for
// each question, and a wrong answer refused; and a CustomEmailSender that decrypts its code
// with the sender key as the README shows.
//
// Run: cargo build --bin cognate && npm test --prefix tests/compat

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { createDecipheriv, webcrypto } from 'node:crypto';
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
const QUESTIONS = 2;

/** The functions, as an app writes them: two sums in a row. */
const functions = {
  Define: (event) => {
    const session = event.request.session;
    const last = session[session.length - 1];
    if (last && !last.challengeResult) {
      event.response.issueTokens = false;
      event.response.failAuthentication = true;
    } else if (session.length === QUESTIONS) {
      event.response.issueTokens = true;
      event.response.failAuthentication = false;
    } else {
      event.response.challengeName = 'CUSTOM_CHALLENGE';
      event.response.issueTokens = false;
      event.response.failAuthentication = false;
    }
    return event;
  },
  Create: (event) => {
    const n = event.request.session.length + 1;
    event.response.publicChallengeParameters = { question: `${n} + ${n}` };
    event.response.privateChallengeParameters = { answer: String(2 * n) };
    event.response.challengeMetadata = `SUM-${n}`;
    return event;
  },
  // A CustomEmailSender as the README shows it: decrypts the code, "sends" it here.
  Sender: (event) => {
    const raw = Buffer.from(event.request.code, 'base64');
    const decipher = createDecipheriv('chacha20-poly1305', senderKey, raw.subarray(0, 12), { authTagLength: 16 });
    decipher.setAuthTag(raw.subarray(raw.length - 16));
    const code = Buffer.concat([decipher.update(raw.subarray(12, raw.length - 16)), decipher.final()]).toString();
    mailbox.push({ to: event.request.userAttributes.email, code });
    return event;
  },
  Verify: (event) => {
    event.response.answerCorrect =
      event.request.challengeAnswer === event.request.privateChallengeParameters.answer;
    return event;
  },
};

const events = [];
const mailbox = [];
let senderKey;
let lambda;
let server;
let base;
let dataDir;

function serveFunctions() {
  return new Promise((resolve) => {
    lambda = createServer((req, res) => {
      const match = req.url.match(/^\/2015-03-31\/functions\/([^/]+)\/invocations/);
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        const fn = match && functions[match[1]];
        if (!fn) {
          res.writeHead(404, { 'x-amzn-ErrorType': 'ResourceNotFoundException' }).end('{}');
          return;
        }
        const event = JSON.parse(body);
        events.push({ name: match[1], event: structuredClone(event) });
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(fn(event)));
      });
    });
    lambda.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${lambda.address().port}`));
  });
}

before(async () => {
  const endpoint = await serveFunctions();
  dataDir = mkdtempSync(join(tmpdir(), 'cognate-compat-custom-'));
  server = spawn(binary, ['serve'], {
    env: {
      ...process.env,
      COGNATE_LISTEN: '127.0.0.1:0',
      COGNATE_DATABASE_URL: `sqlite://${dataDir}/cognate.db`,
      COGNATE_LAMBDA_ENDPOINT: endpoint,
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
  lambda?.close();
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

function memoryStorage() {
  const items = new Map();
  return {
    setItem: (k, v) => items.set(k, String(v)),
    getItem: (k) => (items.has(k) ? items.get(k) : null),
    removeItem: (k) => items.delete(k),
    clear: () => items.clear(),
  };
}

/** CUSTOM_AUTH through the library; `answer` answers each question it is shown. */
function customSignIn(pool, username, answer) {
  const user = new CognitoUser({ Username: username, Pool: pool, Storage: pool.storage });
  user.setAuthenticationFlowType('CUSTOM_AUTH');
  const details = new AuthenticationDetails({
    Username: username,
    ClientMetadata: { app: 'compat' },
  });
  const questions = [];
  return new Promise((resolve, reject) => {
    const callbacks = {
      onSuccess: (session) => resolve({ session, questions }),
      onFailure: (err) => reject(Object.assign(err, { questions })),
      customChallenge: (parameters) => {
        questions.push(parameters.question);
        user.sendCustomChallengeAnswer(answer(parameters.question), callbacks, { round: 'answer' });
      },
    };
    user.initiateAuth(details, callbacks);
  });
}

const sum = (question) => String(question.split(' + ').map(Number).reduce((a, b) => a + b));

test('CUSTOM_AUTH: initiateAuth and sendCustomChallengeAnswer, two questions', async () => {
  const arn = (name) => `arn:aws:lambda:us-east-1:123456789012:function:${name}`;
  const created = await admin('CreateUserPool', {
    PoolName: 'compat-custom',
    LambdaConfig: {
      DefineAuthChallenge: arn('Define'),
      CreateAuthChallenge: arn('Create'),
      VerifyAuthChallengeResponse: arn('Verify'),
    },
  });
  const poolId = created.UserPool.Id;
  const client = await admin('CreateUserPoolClient', {
    UserPoolId: poolId,
    ClientName: 'web',
    ExplicitAuthFlows: ['ALLOW_CUSTOM_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
  });
  await admin('AdminCreateUser', { UserPoolId: poolId, Username: 'ada', MessageAction: 'SUPPRESS' });
  await admin('AdminSetUserPassword', { UserPoolId: poolId, Username: 'ada', Password: PASSWORD, Permanent: true });
  const pool = new CognitoUserPool({
    UserPoolId: poolId,
    ClientId: client.UserPoolClient.ClientId,
    endpoint: base,
    Storage: memoryStorage(),
  });

  const { session, questions } = await customSignIn(pool, 'ada', sum);
  assert.deepEqual(questions, ['1 + 1', '2 + 2']);
  assert.equal(session.getAccessToken().payload.username, 'ada');
  assert.equal(session.isValid(), true);

  const defines = events.filter((e) => e.name === 'Define').map((e) => e.event);
  assert.equal(defines.length, 3);
  assert.equal(defines[0].triggerSource, 'DefineAuthChallenge_Authentication');
  assert.deepEqual(defines[0].request.session, []);
  assert.deepEqual(defines[0].request.clientMetadata, { app: 'compat' });
  assert.deepEqual(defines[2].request.clientMetadata, { round: 'answer' });
  assert.deepEqual(defines[2].request.session, [
    { challengeName: 'CUSTOM_CHALLENGE', challengeResult: true, challengeMetadata: 'SUM-1' },
    { challengeName: 'CUSTOM_CHALLENGE', challengeResult: true, challengeMetadata: 'SUM-2' },
  ]);
  const verify = events.find((e) => e.name === 'Verify').event;
  assert.equal(verify.request.challengeAnswer, '2');
  assert.deepEqual(verify.request.privateChallengeParameters, { answer: '2' });

  await assert.rejects(customSignIn(pool, 'ada', () => 'seven'), (err) => {
    assert.equal(err.code, 'NotAuthorizedException');
    assert.deepEqual(err.questions, ['1 + 1']);
    return true;
  });
});

const call = (fn) => new Promise((resolve, reject) => fn((err, data) => (err ? reject(err) : resolve(data))));

test('CustomEmailSender: a Node function decrypts the code with the sender key', async () => {
  const created = await admin('CreateUserPool', {
    PoolName: 'compat-sender',
    AutoVerifiedAttributes: ['email'],
    LambdaConfig: {
      CustomEmailSender: {
        LambdaVersion: 'V1_0',
        LambdaArn: 'arn:aws:lambda:us-east-1:123456789012:function:Sender',
      },
      KMSKeyID: 'arn:aws:kms:us-east-1:123456789012:key/local',
    },
  });
  const poolId = created.UserPool.Id;
  const client = await admin('CreateUserPoolClient', { UserPoolId: poolId, ClientName: 'web' });
  const key = await (await fetch(`${base}/_dev/sender-key/${poolId}`)).json();
  senderKey = Buffer.from(key.key, 'base64');
  const pool = new CognitoUserPool({
    UserPoolId: poolId,
    ClientId: client.UserPoolClient.ClientId,
    endpoint: base,
    Storage: memoryStorage(),
  });
  const email = new CognitoUserAttribute({ Name: 'email', Value: 'bo@example.com' });
  await call((cb) => pool.signUp('bo', PASSWORD, [email], null, cb));
  assert.equal(mailbox.length, 1);
  assert.equal(mailbox[0].to, 'bo@example.com');
  assert.match(mailbox[0].code, /^[0-9]{6}$/);
  const outbox = await (await fetch(`${base}/_dev/outbox?pool_id=${poolId}&username=bo`)).json();
  assert.deepEqual(outbox, [], 'Cognate sent nothing itself');
  const user = new CognitoUser({ Username: 'bo', Pool: pool, Storage: pool.storage });
  await call((cb) => user.confirmRegistration(mailbox[0].code, true, cb));
});
