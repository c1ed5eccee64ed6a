// Deterministic generator of test strings for the differential test and the benchmark: mixed
// scripts, CJK, emoji (ZWJ sequences, skin tones, keycaps, flags, text/emoji selectors), combining
// marks, URLs with and without protocol (real and fake TLDs, IDN, ports, paths, queries, parens,
// t.co), mentions, hashtags, cashtags, and the punctuation that sits next to them.
'use strict';

function rng(seed) {  // mulberry32
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const words = ['the', 'growth', 'thread', 'Tweet', 'über', 'naïve', 'façade', 'Ελληνικά', 'Привет', 'мир',
  'שלום', 'مرحبا', 'नमस्ते', 'ภาษาไทย', 'ქართული', '日本語', '中文字符', '한국어', 'カタカナ', 'ひらがな',
  'e\u0301', 'A\u030A', 'n\u0303o', '\u1100\u1161\u11A8', 'Ω', '\u212B', 'ﬁ', 'x\u0308\u0301', 'ǅ',
  '…', '•', '—', '“quoted”', '‘single’', '′', 'ɐ', 'ȿ', 'ι', 'K', 'ſ', 'ẞ'];
const emoji = ['😀', '🐱', '☺', '☺️', '☺︎', '👨‍👩‍👧‍👦', '👩🏽‍💻', '🙋🏽', '👨‍🎤', '1⃣', '1️⃣', '#️⃣', '*⃣', '🇯🇵', '🇺🇸', '🇦',
  '🏳️‍🌈', '🏴‍☠️', '❤', '❤️', '✌🏿', '🧵', '🫠', '🥲', '👍🏻', '🤌', '©', '©️', '®', '™', '⌚', '↔️', '🕴️‍♂️',
  '🏋🏾‍♀️', '🧑‍🤝‍🧑', '\uFE0F', '\u200D', '🏻', '🧔‍♂️', '😶‍🌫️', '❤️‍🔥'];
const tlds = ['com', 'co', 'jp', 'co.jp', 'org', 'net', 'io', 'dev', 'app', 'xyz', 'foo', 'zzz', 'c', 'comx',
  'COM', 'Com', 'рф', 'рус', 'РУС', 'みんな', '中国', '香港', 'xn--p1ai', 'xn--', 'onion', 'vermögensberatung',
  'a1', 'museum', 'local'];
const labels = ['example', 'www', 'a', 'sub-domain', 'test_underscore', '-bad', 'bad-', 'münchen', '☃', '日本',
  'x'.repeat(63), 'y'.repeat(64), 'xn--bcher-kva', 'xn--abc', '123', 'e\u0301x', 't'];
const paths = ['', '/', '/path', '/path/to/page.html', '/a_(b)', '/wiki/Foo_(bar)', '/x((y))z', '/(a(b)c)',
  '/#!/user', '/Русские_слова', '/p!', '/q.', '/end,', '/@user/', '/a-', '/ü', '/ι', '/a)b', '/"q"', '/~x|y'];
const queries = ['', '?q=1', '?a=b&c=d', '?x=', '?s=a.', '?u=1!', '?p=(x)', '?$bar.;baz?BAZ&c=d-#top/?stories+'];
const punct = [' ', ' ', ' ', '  ', '\n', '\n\n', '. ', ', ', '; ', ': ', '! ', '? ', '(', ')', '"', "'", '-', '_',
  '/', '.', '@', '#', '$', '&', '…', '。', '、', '，', '\t', '\u3000', '\u00A0', '\u200B', '\u202A', '\u200E',
  '＠', '＃', '\uFEFF', '\uFFFE', '', ''];

function generator(seed) {
  const r = rng(seed);
  const pick = (a) => a[Math.floor(r() * a.length)];
  const domain = () => {
    const n = 1 + Math.floor(r() * 3);
    const parts = [];
    for (let i = 0; i < n; i++) parts.push(pick(labels));
    return parts.join('.') + '.' + pick(tlds);
  };
  const url = () => {
    const k = r();
    if (k < 0.1) return (r() < 0.5 ? 'http' : 'https') + '://t.co/' + 'abc123XYZ'.repeat(1 + Math.floor(r() * 6)).slice(0, 2 + Math.floor(r() * 45)) + pick(queries);
    const proto = k < 0.55 ? pick(['http://', 'https://', 'HTTPS://', 'http://user:pw@', 'ftp://', 'http:/']) : '';
    const port = r() < 0.1 ? ':' + Math.floor(r() * 9000) : '';
    return proto + domain() + port + pick(paths) + pick(queries);
  };
  const token = () => {
    const k = r();
    if (k < 0.35) return pick(words);
    if (k < 0.5) return pick(emoji) + (r() < 0.2 ? pick(['🏻', '🏿', '\uFE0F', '\uFE0E', '\u200D']) : '');
    if (k < 0.68) return url();
    if (k < 0.76) return pick(['@', '＠', 'RT @', '.@']) + pick(['jack', 'user_name', 'a'.repeat(21), 'x', 'list/slug', 'user@mastodon.social']);
    if (k < 0.84) return pick(['#', '＃', '#', '$']) + pick(['growth', '1st', '123', 'ашок', '트위터', 'tag_x', 'ab.cd', 'AAPL', 'tag️', '日本']);
    if (k < 0.9) return String.fromCodePoint(0x20 + Math.floor(r() * 0x2F0));
    if (k < 0.95) return String.fromCodePoint(Math.floor(r() * 0xD7FF));
    return String.fromCodePoint(0x10000 + Math.floor(r() * 0x1FFFF));
  };
  return (maxTokens) => {
    const n = 1 + Math.floor(r() * maxTokens);
    let s = '';
    for (let i = 0; i < n; i++) s += token() + pick(punct);
    return s;
  };
}

module.exports = { generator, rng };

if (require.main === module) {
  // node corpus.js SEED COUNT MAXTOKENS: one JSON string per line.
  const [seed, count, maxTokens] = process.argv.slice(2).map(Number);
  const gen = generator(seed || 1);
  const out = [];
  for (let i = 0; i < (count || 1000); i++) out.push(JSON.stringify(gen(maxTokens || 30)));
  process.stdout.write(out.join('\n') + '\n');
}
