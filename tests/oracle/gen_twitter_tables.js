#!/usr/bin/env node
// Generates core/text/twitter_tables.cpp from the installed npm twitter-text and twemoji-parser
// packages (tests/oracle/package-lock.json pins the versions). The product never needs npm: the
// generated file is committed. Re-run after changing the pinned versions:
//   (cd tests/oracle && npm ci && node gen_twitter_tables.js > ../../core/text/twitter_tables.cpp)
//
// Every character class is computed by asking the package's own regular expressions about every
// UTF-16 code unit (or code point), with the flags they carry inside the composed regexes, so
// case-insensitive quirks (/i without /u) are reproduced exactly rather than guessed.
'use strict';
const path = require('path');
const R = (name) => require('twitter-text/dist/regexp/' + name);
const ttPkg = require('twitter-text/package.json');
const twPkg = require('twemoji-parser/package.json');
const emojiRe = require('twemoji-parser/dist/lib/regex').default;
const emojiPaths = require('./emoji_paths');

function unitClass(re) {  // ranges of UTF-16 code units u with re.test(String.fromCharCode(u))
  const ranges = [];
  for (let u = 0; u <= 0xffff; u++) {
    if (!re.test(String.fromCharCode(u))) continue;
    const last = ranges[ranges.length - 1];
    if (last && last[1] === u - 1) last[1] = u; else ranges.push([u, u]);
  }
  return ranges;
}
function cpClass(re) {  // ranges of code points (surrogates excluded) tested as whole strings
  const ranges = [];
  for (let c = 0; c <= 0x10ffff; c++) {
    if (c >= 0xd800 && c <= 0xdfff) continue;
    if (!re.test(String.fromCodePoint(c))) continue;
    const last = ranges[ranges.length - 1];
    if (last && last[1] === c - 1) last[1] = c; else ranges.push([c, c]);
  }
  return ranges;
}
const src = (name) => R(name).source;
const one = (s, flags) => new RegExp('^(?:' + s + ')$', flags);

const classes = {
  // Inside extractUrl (flags gi).
  url_preceding: unitClass(one(src('validUrlPrecedingChars'), 'i')),
  domain_char: unitClass(one(src('validDomainChars'), 'i')),
  path_char: unitClass(one(src('validGeneralUrlPathChars'), 'i')),
  path_end_char: unitClass(one(src('validUrlPathEndingChars'), 'i')),
  query_char: unitClass(one(src('validUrlQueryChars'), 'i')),
  query_end_char: unitClass(one(src('validUrlQueryEndingChars'), 'i')),
  tld_follower: unitClass(one('[^0-9a-zA-Z@+-]', 'i')),
  // Inside validAsciiDomain (flags gi).
  ascii_domain_label_char: unitClass(one('[\\-a-z0-9' + src('latinAccentChars') + ']', 'i')),
  // Mentions (no flags), cashtags (gi), hashtags (gi).
  latin_accent: unitClass(one('[' + src('latinAccentChars') + ']', '')),
  spaces: unitClass(one(src('spaces'), 'i')),
  js_space: unitClass(/^\s$/),
};
const cpClasses = {
  hashtag_alpha: cpClass(one(src('hashtagAlpha'), 'i')),
  hashtag_alnum: cpClass(one(src('hashtagAlphaNumeric'), 'i')),
};

// TLDs in regex alternation order.
function tlds(name) {
  const s = src(name);
  const m = /^\(\?:\(\?:(.*)\)\(\?=\[\^0-9a-zA-Z@\+\\?-\]\|\$\)\)$/.exec(s);
  if (!m) throw new Error('unexpected ' + name + ' shape: ' + s.slice(-60));
  return m[1].split('|');
}
const gtld = tlds('validGTLD'), cctld = tlds('validCCTLD');
for (const t of gtld.concat(cctld)) {
  if (/[\\()[\]|?*+.]/.test(t)) throw new Error('TLD with regex syntax ' + t);
}
// For non-ASCII TLD units: which other units equal them under /i (non-unicode Canonicalize).
const foldPairs = [];
const tldUnits = new Set();
for (const t of gtld.concat(cctld)) if (!/^[a-z0-9-]+$/.test(t)) for (const ch of t) for (let i = 0; i < ch.length; i++) tldUnits.add(ch.charCodeAt(i));
for (const c of [...tldUnits].sort((a, b) => a - b)) {
  const re = new RegExp('^\\u' + c.toString(16).padStart(4, '0') + '$', 'i');
  for (let u = 0; u <= 0xffff; u++) if (u !== c && re.test(String.fromCharCode(u))) foldPairs.push([u, c]);
}
foldPairs.sort((a, b) => a[0] - b[0] || a[1] - b[1]);

const paths = emojiPaths(emojiRe);
for (const p of paths) for (const u of p) if (u === 0) throw new Error('U+0000 in an emoji path');

const hex = (n, w) => '0x' + n.toString(16).padStart(w, '0');
const cstr = (s) => {
  let o = '', esc = false;
  for (const b of Buffer.from(s, 'utf8')) {
    const c = String.fromCharCode(b);
    if (b < 0x80 && b >= 0x20 && c !== '"' && c !== '\\') {
      if (esc && /[0-9a-fA-F]/.test(c)) o += '" "';  // end the hex escape before a hex digit
      o += c; esc = false;
    } else { o += '\\x' + b.toString(16).padStart(2, '0'); esc = true; }
  }
  return '"' + o + '""';
};
const out = [];
out.push('// GENERATED FILE - do not edit. Regenerate with tests/oracle/gen_twitter_tables.js.');
out.push(`// Source: npm twitter-text ${ttPkg.version} (dist/regexp/*.js: URL, hashtag and TLD regexes) and`);
out.push(`// twemoji-parser ${twPkg.version} (dist/lib/regex.js: the emoji regex parseTweet counts as one unit).`);
out.push('// twitter-text is Apache-2.0, twemoji-parser is MIT (Copyright Twitter, Inc.).');
out.push('#include "core/text/twitter_tables.hpp"');
out.push('');
out.push('namespace growth::text::tables {');
out.push('');
for (const [name, ranges] of Object.entries(classes)) {
  out.push(`static constexpr UnitRange ${name}_data[] = {`);
  for (let i = 0; i < ranges.length; i += 6) out.push('    ' + ranges.slice(i, i + 6).map(([a, b]) => `{${hex(a, 4)}, ${hex(b, 4)}}`).join(', ') + ',');
  out.push('};');
  out.push(`const std::span<const UnitRange> ${name}{${name}_data};`);
  out.push('');
}
for (const [name, ranges] of Object.entries(cpClasses)) {
  out.push(`static constexpr CodePointRange ${name}_data[] = {`);
  for (let i = 0; i < ranges.length; i += 5) out.push('    ' + ranges.slice(i, i + 5).map(([a, b]) => `{${hex(a, 5)}, ${hex(b, 5)}}`).join(', ') + ',');
  out.push('};');
  out.push(`const std::span<const CodePointRange> ${name}{${name}_data};`);
  out.push('');
}
for (const [name, list] of [['tlds', gtld.concat(cctld)]]) {
  out.push(`// validGTLD then validCCTLD, each in the regex's alternation order (UTF-8).`);
  out.push(`static constexpr std::string_view ${name}_data[] = {`);
  for (let i = 0; i < list.length; i += 8) out.push('    ' + list.slice(i, i + 8).map((t) => cstr(t).slice(0, -1)).join(', ') + ',');
  out.push('};');
  out.push(`const std::span<const std::string_view> ${name}{${name}_data};`);
  out.push('');
}
out.push('// (text unit, TLD unit) pairs equal under the regex /i flag, sorted.');
out.push('static constexpr UnitRange tld_case_pairs_data[] = {');
for (let i = 0; i < foldPairs.length; i += 6) out.push('    ' + foldPairs.slice(i, i + 6).map(([a, b]) => `{${hex(a, 4)}, ${hex(b, 4)}}`).join(', ') + ',');
out.push('};');
out.push('const std::span<const UnitRange> tld_case_pairs{tld_case_pairs_data};');
out.push('');
out.push('// Every string the emoji regex can match, in its priority order, each as a length followed by');
out.push('// that many UTF-16 code units; 0x0000 stands for the assertion "next unit is not U+FE0E".');
const flat = [];
for (const p of paths) { flat.push(p.length); for (const u of p) flat.push(u === emojiPaths.NEG_FE0E ? 0 : u); }
out.push('static constexpr char16_t emoji_paths_data[] = {');
for (let i = 0; i < flat.length; i += 10) out.push('    ' + flat.slice(i, i + 10).map((u) => hex(u, 4)).join(', ') + ',');
out.push('};');
out.push('const std::span<const char16_t> emoji_paths{emoji_paths_data};');
out.push('');
out.push('}  // namespace growth::text::tables');
process.stdout.write(out.join('\n') + '\n');
