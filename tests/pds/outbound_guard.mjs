// Keeps a Node process on this machine: every TCP connection or DNS query whose destination is not
// loopback is refused before anything is sent, and reported on stderr as one line
// "pds-harness: outbound blocked: WHAT" (WHAT = "tcp HOST:PORT", "dns lookup NAME", "dns resolveTxt NAME"
// ...), so that tests can assert there were none. Install it before importing the code to be guarded.

import dns from 'node:dns';
import net from 'node:net';
import { syncBuiltinESMExports } from 'node:module';

export const OUTBOUND_PREFIX = 'pds-harness: outbound blocked: ';

/** True for names and addresses that stay on this machine (localhost, 127.0.0.0/8, ::1). */
export function is_loopback_host(host) {
  if (host === undefined || host === null || host === '') return true; // Node's default is localhost
  const h = String(host).replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  if (net.isIPv4(h)) return h.startsWith('127.');
  if (net.isIPv6(h)) return h === '::1' || h.startsWith('::ffff:127.');
  return false;
}

function report_outbound(what) {
  process.stderr.write(`${OUTBOUND_PREFIX}${what}\n`);
}

function refuse_name(name) {
  return Object.assign(new Error(`DNS query for ${name} refused by the test harness`),
                       { code: 'ENOTFOUND', hostname: name });
}

/** Patches net.Socket#connect and the dns module (callback, promise and Resolver forms). */
export function install_outbound_guard() {
  const original_connect = net.Socket.prototype.connect;
  net.Socket.prototype.connect = function guarded_connect(...args) {
    let options = args[0];
    if (Array.isArray(options)) options = options[0]; // Node's internal normalized form
    let host;
    let port;
    let is_path = false;
    if (options !== null && typeof options === 'object') {
      if (options.path) is_path = true;
      host = options.host;
      port = options.port;
    } else if (typeof options === 'string' && Number.isNaN(Number(options))) {
      is_path = true; // a Unix socket path
    } else {
      port = options;
      host = typeof args[1] === 'string' ? args[1] : undefined;
    }
    if (!is_path && !is_loopback_host(host)) {
      report_outbound(`tcp ${host}:${port}`);
      const err = Object.assign(new Error(`outbound connection to ${host}:${port} refused by the test harness`),
                                { code: 'ECONNREFUSED' });
      process.nextTick(() => this.destroy(err));
      return this;
    }
    return original_connect.apply(this, args);
  };

  const original_lookup = dns.lookup;
  dns.lookup = function guarded_lookup(hostname, ...rest) {
    if (!is_loopback_host(hostname) && !net.isIP(hostname)) {
      report_outbound(`dns lookup ${hostname}`);
      const cb = rest[rest.length - 1];
      process.nextTick(() => cb(refuse_name(hostname)));
      return {};
    }
    return original_lookup.call(this, hostname, ...rest);
  };
  const original_plookup = dns.promises.lookup;
  dns.promises.lookup = async function guarded_plookup(hostname, ...rest) {
    if (!is_loopback_host(hostname) && !net.isIP(hostname)) {
      report_outbound(`dns lookup ${hostname}`);
      throw refuse_name(hostname);
    }
    return original_plookup.call(this, hostname, ...rest);
  };
  // Record queries (handle resolution asks TXT _atproto.<handle>) never have a local answer here.
  for (const fn of ['resolve', 'resolve4', 'resolve6', 'resolveAny', 'resolveCname', 'resolveMx',
                    'resolveNs', 'resolveSrv', 'resolveTxt']) {
    const cb_version = function guarded_resolve(hostname, ...rest) {
      report_outbound(`dns ${fn} ${hostname}`);
      const cb = rest[rest.length - 1];
      process.nextTick(() => cb(refuse_name(hostname)));
      return {};
    };
    const promise_version = async function guarded_presolve(hostname) {
      report_outbound(`dns ${fn} ${hostname}`);
      throw refuse_name(hostname);
    };
    dns[fn] = cb_version;
    dns.Resolver.prototype[fn] = cb_version;
    dns.promises[fn] = promise_version;
    dns.promises.Resolver.prototype[fn] = promise_version;
  }
  syncBuiltinESMExports();
}
