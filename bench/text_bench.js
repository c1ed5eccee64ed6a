// twitter-text's parseTweet on the same corpus as growth's text_bench (same run, same machine).
//   node bench/text_bench.js make CORPUS.jsonl [stress|posts]   writes a ~1 MB corpus of posts:
//     posts  - everyday posts: prose in eight scripts, a link, an emoji or two, a mention or tag
//     stress - the differential test's dense mix (a URL, emoji or entity in every other token)
//   node bench/text_bench.js run CORPUS.jsonl    prints {"count_mb_s":..., "checksum":...}
'use strict';
const fs = require('fs');
const path = require('path');
const oracle = path.join(__dirname, '..', 'tests', 'oracle');
const [mode, file] = process.argv.slice(2);

const sentences = [
  'We shipped the new release today and the numbers look good.',
  'Thanks to everyone who came to the meetup last night!',
  'Here is a short thread on how we cut our build times in half.',
  'Nous avons publié la nouvelle version aujourd’hui, merci à tous.',
  'Heute haben wir die neue Version veröffentlicht – danke für euer Feedback.',
  'Hoy publicamos la nueva versión; el rendimiento mejoró mucho.',
  'Сегодня мы выпустили новую версию, спасибо всем за отзывы.',
  '今日は新しいバージョンをリリースしました。ありがとうございます！',
  '我们今天发布了新版本，感谢大家的支持。',
  '오늘 새 버전을 출시했습니다. 감사합니다!',
  'أطلقنا اليوم الإصدار الجديد، شكراً لكم جميعاً.',
  'आज हमने नया संस्करण जारी किया, सभी का धन्यवाद।',
];
const extras = ['https://example.com/blog/2026/release-notes', 'growth.dev/docs', 'http://t.co/AbC123xyz',
  '@growthctl', '#buildinpublic', '#開発', '🚀', '🎉', '👍🏽', '👨‍👩‍👧', '❤️', '$AAPL'];

function postsGenerator(seed) {
  const r = require(path.join(oracle, 'corpus.js')).rng(seed);
  const pick = (a) => a[Math.floor(r() * a.length)];
  return () => {
    let s = '';
    while (s.length < 180 + r() * 100) s += pick(sentences) + ' ' + (r() < 0.35 ? pick(extras) + ' ' : '');
    return s.trim();
  };
}

if (mode === 'make') {
  const kind = process.argv[4] || 'stress';
  const gen = kind === 'posts' ? ((g) => () => g())(postsGenerator(20261127))
                               : ((g) => () => g(40))(require(path.join(oracle, 'corpus.js')).generator(20261127));
  const lines = [];
  let bytes = 0;
  while (bytes < 1000000) {
    const post = gen();
    bytes += Buffer.byteLength(post, 'utf8');
    lines.push(JSON.stringify(post));
  }
  fs.writeFileSync(file, lines.join('\n') + '\n');
} else if (mode === 'run') {
  const twttr = require(path.join(oracle, 'node_modules', 'twitter-text'));
  const posts = fs.readFileSync(file, 'utf8').split('\n').filter((l) => l.length).map((l) => JSON.parse(l));
  const bytes = posts.reduce((a, p) => a + Buffer.byteLength(p, 'utf8'), 0);
  let checksum = 0;
  for (const p of posts) checksum += twttr.parseTweet(p).weightedLength;
  let sink = 0;
  const once = () => { for (const p of posts) sink += twttr.parseTweet(p).weightedLength; };
  once();  // warm up the JIT
  let runs = 0;
  const start = process.hrtime.bigint();
  let elapsed = 0;
  do {
    once();
    runs++;
    elapsed = Number(process.hrtime.bigint() - start) / 1e9;
  } while (elapsed < 2.0);
  process.stdout.write(JSON.stringify({ bytes, count_mb_s: bytes / 1e6 / (elapsed / runs), checksum, sink }) + '\n');
} else {
  process.stderr.write('usage: node bench/text_bench.js make|run CORPUS.jsonl\n');
  process.exit(2);
}
