// Reads one JSON string per line on stdin, prints twitter-text's parseTweet(text) as
// "weightedLength valid" per line: the oracle the differential test compares growth against.
'use strict';
const twttr = require('twitter-text');
const lines = require('fs').readFileSync(0, 'utf8').split('\n').filter((l) => l.length);
const out = lines.map((l) => {
  const r = twttr.parseTweet(JSON.parse(l));
  return r.weightedLength + ' ' + r.valid;
});
process.stdout.write(out.join('\n') + '\n');
