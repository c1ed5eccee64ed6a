// Enumerates the language of twemoji-parser's emoji regex in the regex's own priority order.
// The regex uses only: literals (\uXXXX and plain), classes [..] with ranges, groups (?:..) and (..),
// alternation, the ? quantifier and the negative lookahead (?!\ufe0e). Anything else aborts, so a
// future regex with new syntax is noticed instead of silently mis-enumerated.
'use strict';

function parse(src) {
  let i = 0;
  function unit() {
    if (src[i] === '\\') {
      if (src[i + 1] === 'u') { const v = parseInt(src.substr(i + 2, 4), 16); i += 6; return v; }
      const c = src.charCodeAt(i + 1); i += 2; return c;
    }
    return src.charCodeAt(i++);
  }
  function alt() {
    const branches = [seq()];
    while (src[i] === '|') { i++; branches.push(seq()); }
    return { t: 'alt', branches };
  }
  function seq() {
    const items = [];
    while (i < src.length && src[i] !== '|' && src[i] !== ')') {
      let atom;
      if (src[i] === '(') {
        if (src.startsWith('(?:', i)) { i += 3; atom = alt(); }
        else if (src.startsWith('(?!', i)) { i += 3; const a = alt(); atom = { t: 'neg', a }; }
        else if (src.startsWith('(?', i)) throw new Error('unsupported group at ' + i);
        else { i += 1; atom = alt(); }
        if (src[i] !== ')') throw new Error('expected ) at ' + i);
        i++;
      } else if (src[i] === '[') {
        i++;
        if (src[i] === '^') throw new Error('negated class unsupported');
        const ranges = [];
        while (src[i] !== ']') {
          const lo = unit();
          if (src[i] === '-' && src[i + 1] !== ']') { i++; const hi = unit(); ranges.push([lo, hi]); }
          else ranges.push([lo, lo]);
        }
        i++;
        atom = { t: 'class', ranges };
      } else if ('*+{.^$'.includes(src[i])) {
        throw new Error('unsupported syntax ' + src[i] + ' at ' + i);
      } else {
        const u = unit();
        atom = { t: 'class', ranges: [[u, u]] };
      }
      if (src[i] === '?') { i++; atom = { t: 'opt', a: atom }; }
      if (i < src.length && '*+{'.includes(src[i])) throw new Error('unsupported quantifier at ' + i);
      items.push(atom);
    }
    return { t: 'seq', items };
  }
  const ast = alt();
  if (i !== src.length) throw new Error('trailing input at ' + i);
  return ast;
}

// Paths in priority order. A path is an array of code units; NEG_FE0E marks the zero-width
// assertion "the next code unit is not U+FE0E".
const NEG_FE0E = -1;
function paths(node) {
  switch (node.t) {
    case 'alt': return node.branches.flatMap(paths);
    case 'seq': {
      let acc = [[]];
      for (const it of node.items) {
        const ps = paths(it);
        const next = [];
        for (const a of acc) for (const p of ps) next.push(a.concat(p));
        acc = next;
      }
      return acc;
    }
    case 'class': {
      const out = [];
      for (const [lo, hi] of node.ranges) for (let u = lo; u <= hi; u++) out.push([u]);
      return out;
    }
    case 'opt': return paths(node.a).concat([[]]);  // greedy: with first, then without
    case 'neg': {
      const inner = paths(node.a);
      if (inner.length !== 1 || inner[0].length !== 1 || inner[0][0] !== 0xfe0e)
        throw new Error('only (?!\\ufe0e) is supported');
      return [[NEG_FE0E]];
    }
  }
  throw new Error('bad node');
}

module.exports = function emojiPaths(re) {
  if (re.flags !== 'g') throw new Error('unexpected flags ' + re.flags);
  return paths(parse(re.source));
};
module.exports.NEG_FE0E = NEG_FE0E;

if (require.main === module) {
  const re = require('twemoji-parser/dist/lib/regex').default;
  const ps = module.exports(re);
  console.log(ps.length, ps.reduce((a, p) => a + p.length, 0));
}
