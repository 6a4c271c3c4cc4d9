// Baseline for bench/pbkdf2.sh: Node's crypto.pbkdf2Sync (OpenSSL), same inputs, one thread.
'use strict';
const crypto = require('node:crypto');
const rounds = Number(process.argv[2] || 5);
const password = 'correct horse battery staple';
const salt = '0123456789abcdef';
const time = (repeats) => {
  const start = process.hrtime.bigint();
  for (let i = 0; i < repeats; i++) crypto.pbkdf2Sync(password, salt, 100000, 32, 'sha256');
  return Number(process.hrtime.bigint() - start) / 1e6 / repeats;
};
for (let i = 0; i < 20; i++) crypto.pbkdf2Sync(password, salt, 100000, 32, 'sha256');
const results = [];
for (let r = 0; r < rounds; r++) results.push(time(10));
results.sort((a, b) => a - b);
console.log('node ' + results[Math.floor(rounds / 2)].toFixed(2));
console.log('key ' + crypto.pbkdf2Sync(password, salt, 100000, 32, 'sha256').toString('hex'));
