#!/usr/bin/env node
// cld3_langid.js -- peer baseline: CLD3 (Compact Language Detector v3) language identification.
//
// Reads UTF-8 text on stdin, one text per line, and prints one line per input line: the code of
// CLD3's top language (e.g. "en", "iw", "fil", "zh"), whatever its reliability; "und" only when
// CLD3 itself answers unknown. CLD3 is run through the npm package `cld3-asm` (a WebAssembly
// build of google/cld3 with its official model; no native module needed).
//
// The identifier is created as NNetLanguageIdentifier(min_num_bytes=0, max_num_bytes=1000), the
// setting the official gcld3 Python binding documents; CLD3's own default constructor uses
// min 140 bytes, which would make it answer "und" for every shorter text. Options:
//   --min-bytes N   (default 0)      --max-bytes N   (default 1000)
//
// Setup (once, from the project root):  npm ci --prefix bench/peers/cld3
//   (or npm install --prefix bench/peers/cld3 if package-lock.json is missing)
// Run:    cut -f2 test.tsv | node bench/peers/cld3_langid.js > cld3.pred
'use strict';
const path = require('path');
const readline = require('readline');

function fail(msg) {
  process.stderr.write(`cld3_langid: ${msg}\n`);
  process.exit(2);
}

let minBytes = 0;
let maxBytes = 1000;
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  if (a === '--min-bytes' || a === '--max-bytes') {
    const v = Number(argv[++i]);
    if (!Number.isInteger(v) || v < 0) fail(`${a} needs a non-negative integer`);
    if (a === '--min-bytes') minBytes = v; else maxBytes = v;
  } else if (a === '-h' || a === '--help') {
    process.stdout.write('usage: node cld3_langid.js [--min-bytes N] [--max-bytes N] < texts > codes\n');
    process.exit(0);
  } else {
    fail(`unknown argument '${a}' (try --help)`);
  }
}

let cld3;
try {
  cld3 = require(path.join(__dirname, 'cld3', 'node_modules', 'cld3-asm'));
} catch (e) {
  fail(`cannot load cld3-asm (${e.message}); run: npm ci --prefix bench/peers/cld3`);
}

async function main() {
  const factory = await cld3.loadModule();
  const identifier = factory.create(minBytes, maxBytes);
  const rl = readline.createInterface({ input: process.stdin, crlfDelay: Infinity, terminal: false });
  let buf = [];
  const flush = async () => {
    if (buf.length === 0) return;
    const chunk = buf.join('');
    buf = [];
    if (!process.stdout.write(chunk)) {
      await new Promise((resolve) => process.stdout.once('drain', resolve));
    }
  };
  for await (const line of rl) {
    const lang = identifier.findLanguage(line).language;
    buf.push((lang && lang !== 'und' ? lang : 'und') + '\n');
    if (buf.length >= 4096) await flush();
  }
  await flush();
  identifier.dispose();
}

main().catch((e) => fail(e && e.stack ? e.stack : String(e)));
