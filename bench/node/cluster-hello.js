// Baseline for bench/hello.sh: Node's classic multi-core hello, one worker process per core.
'use strict';
const cluster = require('node:cluster');
const http = require('node:http');
const os = require('node:os');

const port = Number(process.env.PORT || 8090);
const workers = Number(process.env.WORKERS || os.availableParallelism());

if (cluster.isPrimary) {
  for (let i = 0; i < workers; i++) cluster.fork();
  let online = 0;
  cluster.on('listening', () => {
    if (++online === workers) console.log(`node cluster: ${workers} workers on 127.0.0.1:${port}`);
  });
  process.on('SIGTERM', () => {
    for (const id in cluster.workers) cluster.workers[id].kill();
    process.exit(0);
  });
} else {
  http.createServer((req, res) => {
    if (req.url === '/hello') {
      res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('Hello, World!\n');
    } else {
      res.writeHead(404);
      res.end();
    }
  }).listen(port, '127.0.0.1');
}
