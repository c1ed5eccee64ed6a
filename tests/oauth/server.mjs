// A real OAuth 2 authorization server for the login tests: oauth2-mock-server (PKCE S256
// verified at the token endpoint, a fresh refresh token on every grant), on 127.0.0.1.
//
//   node server.mjs [--port N] [--access-token T ...] [--expires-in S[,S...]] [--no-refresh]
//
// --access-token makes the token endpoint grant these access tokens in turn (the last one
// repeats), so the platform sandbox can know them; without it the server's own JWTs are sent.
// --expires-in likewise gives each grant's lifetime in turn. Prints {"port": N, "issuer": URL}
// on one line once it listens. Every token request is recorded: GET /_requests answers them as
// a JSON list (form fields, the Basic credentials, the refresh token granted). GET
// /_control?refuse_refresh=1 makes refresh grants fail with invalid_grant (0: succeed again);
// &expires_in=S[,S...] replaces the lifetimes, &access_token=T[,T...] the access tokens.
// &rotate=1 makes refresh tokens single-use, as X's rotating ones are: a refresh grant must
// present the latest refresh token granted in its chain, which it then invalidates (0: any).
// &lose_refresh=1 applies a refresh grant (the rotation included) and then drops the
// connection instead of answering: a lost answer, as when the client dies before it commits.
import { OAuth2Server } from 'oauth2-mock-server';

const args = process.argv.slice(2);
let port = 0;
const tokens = [];
let expiresIn = [];
let refresh = true;
for (let i = 0; i < args.length; i++) {
  const a = args[i];
  if (a === '--port') port = Number(args[++i]);
  else if (a === '--access-token') tokens.push(args[++i]);
  else if (a === '--expires-in') expiresIn = args[++i].split(',').map(Number);
  else if (a === '--no-refresh') refresh = false;
  else {
    console.error(`unknown argument ${a}`);
    process.exit(2);
  }
}

const server = new OAuth2Server();
await server.issuer.keys.generate('RS256');
const requests = [];
let refuseRefresh = false;
let rotate = false;
let loseRefresh = false;
const valid = new Set(); // refresh tokens granted and not used yet
const next = (list) => (list.length > 1 ? list.shift() : list[0]);
server.service.on('beforeResponse', (response, req) => {
  const record = {
    body: req.body,
    basic: (req.headers.authorization || '').startsWith('Basic ') ? req.headers.authorization.slice(6) : null,
    status: response.statusCode,
  };
  requests.push(record);
  if (response.statusCode !== 200) return;
  if (refuseRefresh && req.body.grant_type === 'refresh_token') {
    response.statusCode = 400;
    response.body = { error: 'invalid_grant', error_description: 'Value passed for the token was invalid.' };
    record.status = 400;
    return;
  }
  if (req.body.grant_type === 'refresh_token') {
    if (rotate && !valid.has(req.body.refresh_token)) {
      response.statusCode = 400;
      response.body = { error: 'invalid_grant', error_description: 'Value passed for the token was invalid.' };
      record.status = 400;
      return;
    }
    valid.delete(req.body.refresh_token);
  }
  if (tokens.length > 0) response.body.access_token = next(tokens);
  if (expiresIn.length > 0) response.body.expires_in = next(expiresIn);
  if (!refresh) delete response.body.refresh_token;
  delete response.body.id_token;
  record.granted_refresh = response.body.refresh_token || null;
  if (record.granted_refresh) valid.add(record.granted_refresh);
  if (loseRefresh && req.body.grant_type === 'refresh_token') {
    record.status = 'lost';
    req.socket.destroy();
  }
});
server.service.requestHandler.get('/_requests', (_req, res) => res.json(requests));
server.service.requestHandler.get('/_control', (req, res) => {
  if (req.query.refuse_refresh !== undefined) refuseRefresh = req.query.refuse_refresh === '1';
  if (req.query.rotate !== undefined) rotate = req.query.rotate === '1';
  if (req.query.lose_refresh !== undefined) loseRefresh = req.query.lose_refresh === '1';
  if (req.query.expires_in !== undefined) expiresIn = String(req.query.expires_in).split(',').map(Number);
  if (req.query.access_token !== undefined) tokens.splice(0, tokens.length, ...String(req.query.access_token).split(','));
  res.json({ refuse_refresh: refuseRefresh, rotate, lose_refresh: loseRefresh, expires_in: expiresIn, access_tokens: tokens.length });
});
await server.start(port, '127.0.0.1');
console.log(JSON.stringify({ port: server.address().port, issuer: server.issuer.url }));
process.on('SIGTERM', async () => {
  await server.stop();
  process.exit(0);
});
