// twitter-text's parseTweet on the same corpus as growth's text_bench (same run, same machine).
//   node bench/text_bench.js make CORPUS.jsonl   writes a ~1 MB mixed corpus of posts
//   node bench/text_bench.js run CORPUS.jsonl    prints {"count_mb_s":..., "checksum":...}
'use strict';
const fs = require('fs');
const path = require('path');
const oracle = path.join(__dirname, '..', 'tests', 'oracle');
const [mode, file] = process.argv.slice(2);

if (mode === 'make') {
  const { generator } = require(path.join(oracle, 'corpus.js'));
  const gen = generator(20261127);
  const lines = [];
  let bytes = 0;
  while (bytes < 1000000) {
    const post = gen(40);
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
