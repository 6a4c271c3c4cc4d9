// Baseline for bench/load.sh: one Node.js event loop serving HTTP, PBKDF2 on a Piscina pool of one thread per
// core (the worker_threads answer to CPU-heavy work). POST /hash hashes like Parallax's pbkdf2 task.
'use strict';
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');
const Piscina = require('piscina');

const port = Number(process.env.PORT || 8091);
const threads = Number(process.env.THREADS || os.availableParallelism());
const pool = new Piscina({ filename: path.join(__dirname, 'piscina-hash.js'), minThreads: threads, maxThreads: threads });

http.createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/hello') {
    res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
    return res.end('Hello, World!\n');
  }
  if (req.method === 'POST' && req.url === '/hash') {
    let body = '';
    req.on('data', (chunk) => { body += chunk; });
    req.on('end', () => {
      const { password, iterations } = JSON.parse(body || '{}');
      pool.run({ password: password || 'x', iterations: iterations || 100000 })
        .then((key) => { res.writeHead(200, { 'content-type': 'application/json' }); res.end(JSON.stringify({ key })); })
        .catch(() => { res.writeHead(500); res.end(); });
    });
    return;
  }
  res.writeHead(404);
  res.end();
}).listen(port, '127.0.0.1', () => console.log(`piscina server: ${threads} threads on 127.0.0.1:${port}`));
