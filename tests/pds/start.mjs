// Starts a real Bluesky PDS (@atproto/pds) with an in-memory PLC directory (@did-plc/server), both on
// 127.0.0.1, creates one test account plus an app password, writes a JSON info file and stays up until
// SIGTERM/SIGINT. Must run under Node >= 22 (setup.sh prints the Node 22 binary that npm brought).
//
//   node start.mjs --info-file F [--data-dir D] [--handle alice.test] [--password P] [--email E]
//                  [--rate-limits] [--log]
//
// Info file (written atomically once everything answers; removed again on shutdown):
//   {"pds_url","plc_url","handle","did","email","password","app_password","app_password_name",
//    "admin_password","jwt_secret","service_did","pds_version","node_version","pid","data_dir"}
//
// Nothing here may reach beyond this machine (outbound_guard.mjs): every TCP connection or DNS query for a
// non-loopback destination is refused before it leaves and reported on stderr as
// "pds-harness: outbound blocked: ..." so that the tests can assert there were none.

import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import { install_outbound_guard } from './outbound_guard.mjs';

function die(message) {
  process.stderr.write(`pds-harness: error: ${message}\n`);
  process.exit(2);
}

function parse_args(argv) {
  const opts = {
    info_file: null,
    data_dir: null,
    handle: 'alice.test',
    password: 'alice-account-password',
    email: 'alice@example.com',
    rate_limits: false,
    log: false,
  };
  const valued = { '--info-file': 'info_file', '--data-dir': 'data_dir', '--handle': 'handle',
                   '--password': 'password', '--email': 'email' };
  for (let i = 0; i < argv.length; ++i) {
    const arg = argv[i];
    if (arg in valued) {
      if (i + 1 >= argv.length) die(`${arg} needs a value`);
      opts[valued[arg]] = argv[++i];
    } else if (arg === '--rate-limits') {
      opts.rate_limits = true;
    } else if (arg === '--log') {
      opts.log = true;
    } else {
      die(`unknown argument "${arg}"`);
    }
  }
  if (!opts.info_file) die('--info-file is required');
  if (!opts.handle.endsWith('.test')) die(`--handle "${opts.handle}" must end in .test (the PDS's handle domain)`);
  return opts;
}

// --- helpers ---------------------------------------------------------------------------------------

async function free_port() {
  return await new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

async function listen(app, port) {
  return await new Promise((resolve, reject) => {
    const server = app.listen(port, '127.0.0.1');
    server.once('listening', () => resolve(server));
    server.once('error', reject);
  });
}

async function close_server(server) {
  if (!server) return;
  await new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections?.();
  });
}

async function xrpc(base, method, nsid, body, token) {
  const headers = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (token) headers.authorization = `Bearer ${token}`;
  const res = await fetch(`${base}/xrpc/${nsid}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${nsid} answered ${res.status}: ${text}`);
  return text ? JSON.parse(text) : {};
}

function write_json_atomically(file, value) {
  const tmp = `${file}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, `${JSON.stringify(value, null, 2)}\n`, { mode: 0o600 });
  fs.renameSync(tmp, file);
}

// --- main ------------------------------------------------------------------------------------------

async function main() {
  const opts = parse_args(process.argv.slice(2));
  const major = Number(process.versions.node.split('.')[0]);
  if (major < 22) die(`@atproto/pds needs Node >= 22, this is ${process.version}; run the binary setup.sh prints`);
  if (opts.log) process.env.LOG_ENABLED = 'true';

  install_outbound_guard();
  const { PlcServer, Database: PlcDatabase } = await import('@did-plc/server');
  const pds_module = await import('@atproto/pds');
  const { PDS, envToCfg, envToSecrets, readEnv } = pds_module;
  const { Secp256k1Keypair } = await import('@atproto/crypto');
  const { createRequire } = await import('node:module');
  const pds_version = createRequire(import.meta.url)('@atproto/pds/package.json').version;

  const own_data_dir = !opts.data_dir;
  const data_dir = opts.data_dir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'growth-pds-'));
  fs.mkdirSync(path.join(data_dir, 'blobs'), { recursive: true });

  let plc = null;
  let plc_server = null;
  let pds = null;
  let pds_server = null;
  let stopping = false;

  const shutdown = async (code) => {
    if (stopping) return;
    stopping = true;
    try { fs.rmSync(opts.info_file, { force: true }); } catch { /* best effort */ }
    try {
      await close_server(pds_server);
      if (pds) await pds.ctx.destroy();
      await close_server(plc_server);
      if (plc) await plc.ctx.db.close();
    } catch (e) {
      process.stderr.write(`pds-harness: error while stopping: ${e?.stack ?? e}\n`);
      code = code || 1;
    }
    if (own_data_dir) fs.rmSync(data_dir, { recursive: true, force: true });
    process.exit(code);
  };
  process.on('SIGTERM', () => shutdown(0));
  process.on('SIGINT', () => shutdown(0));

  try {
    // PLC directory, in memory; its port does not need to be known beforehand.
    plc = PlcServer.create({ db: PlcDatabase.mock() });
    plc_server = await listen(plc.app, 0);
    const plc_url = `http://127.0.0.1:${plc_server.address().port}`;

    // The PDS derives its public URL from its port, so the port is chosen first (retry on a race).
    const rotation_key = await Secp256k1Keypair.create({ exportable: true });
    const rotation_hex = Buffer.from(await rotation_key.export()).toString('hex');
    const admin_password = crypto.randomBytes(16).toString('hex');
    // Given to the tests (info file) so they can mint an expired copy of a real access token.
    const jwt_secret = crypto.randomBytes(16).toString('hex');
    let port = 0;
    for (let attempt = 1; ; ++attempt) {
      port = await free_port();
      const env = {
        ...readEnv(),
        port,
        hostname: 'localhost',
        devMode: true,
        dataDirectory: data_dir,
        blobstoreDiskLocation: path.join(data_dir, 'blobs'),
        didPlcUrl: plc_url,
        inviteRequired: false,
        serviceHandleDomains: ['.test'],
        // Everything that would talk to other services stays unset or empty: no AppView, no
        // moderation/report service, no email, no relays to crawl us, no entryway.
        bskyAppViewUrl: undefined,
        bskyAppViewDid: undefined,
        modServiceUrl: undefined,
        modServiceDid: undefined,
        reportServiceUrl: undefined,
        reportServiceDid: undefined,
        emailSmtpUrl: undefined,
        emailFromAddress: undefined,
        moderationEmailSmtpUrl: undefined,
        moderationEmailAddress: undefined,
        entrywayUrl: undefined,
        crawlers: [],
        rateLimitsEnabled: opts.rate_limits,
        jwtSecret: jwt_secret,
        dpopSecret: crypto.randomBytes(32).toString('hex'),
        adminPassword: admin_password,
        plcRotationKeyK256PrivateKeyHex: rotation_hex,
        plcRotationKeyKmsKeyId: undefined,
      };
      pds = await PDS.create(envToCfg(env), envToSecrets(env));
      try {
        await pds.ctx.sequencer.start();
        pds_server = await listen(pds.app, port);
        pds_server.keepAliveTimeout = 90_000;
        break;
      } catch (e) {
        await pds.ctx.destroy();
        pds = null;
        if (e?.code !== 'EADDRINUSE' || attempt >= 5) throw e;
      }
    }
    const pds_url = `http://127.0.0.1:${port}`;

    const account = await xrpc(pds_url, 'POST', 'com.atproto.server.createAccount',
      { handle: opts.handle, email: opts.email, password: opts.password });
    const app_password_name = 'growth-e2e';
    const app_password = await xrpc(pds_url, 'POST', 'com.atproto.server.createAppPassword',
      { name: app_password_name }, account.accessJwt);

    write_json_atomically(opts.info_file, {
      pds_url,
      plc_url,
      handle: account.handle,
      did: account.did,
      email: opts.email,
      password: opts.password,
      app_password: app_password.password,
      app_password_name,
      admin_password,
      jwt_secret,
      service_did: pds.ctx.cfg.service.did,
      pds_version,
      node_version: process.version,
      pid: process.pid,
      data_dir,
    });
    process.stdout.write(`pds-harness: ready ${pds_url} ${account.did}\n`);
  } catch (e) {
    process.stderr.write(`pds-harness: error: start failed: ${e?.stack ?? e}\n`);
    await shutdown(1);
  }
}

main();
