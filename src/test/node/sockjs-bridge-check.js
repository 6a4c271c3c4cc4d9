// Drives Parallax's SockJS bridge with the real Vert.x client (@vertx/eventbus-bridge-client.js + sockjs-client).
// Usage: node sockjs-bridge-check.js <http://host:port/eventbus> [token]
// Prints one JSON line per step on stdout; the JUnit test reads them (and opens its gate on "registered").
'use strict';
const EventBus = require('@vertx/eventbus-bridge-client.js');

const [url, token] = process.argv.slice(2);
const headers = token ? { auth: token } : {};
const say = (step) => console.log(JSON.stringify(step));
const quit = (code) => setTimeout(() => process.exit(code), 50);
setTimeout(() => { say({ step: 'timeout' }); quit(1); }, 60000);

const eb = new EventBus(url);
eb.enableReconnect(false);

eb.onopen = () => {
  eb.send('parallax.task.primes', { to: 1000 }, headers, (err, reply) => {
    if (err) { say({ step: 'task', error: err }); return quit(1); }
    say({ step: 'task', count: reply.body.result.count });
    denied();
  });
};

function denied() {
  eb.onerror = (err) => {
    say({ step: 'denied', body: err.body });
    submitJob();
  };
  eb.send('parallax.internal.scheduler.status', {}, headers, () => {});
}

function submitJob() {
  eb.onerror = (err) => say({ step: 'error', body: err.body });
  const job = { task: 'test-chunks', chunks: 4, params: { items: 4 } };
  eb.send('parallax.jobs.submit', job, headers, (err, accepted) => {
    if (err) { say({ step: 'submit', error: err }); return quit(1); }
    const id = accepted.body.id;
    const events = [];
    eb.registerHandler('parallax.jobs.' + id, headers, (err2, message) => {
      if (err2) { say({ step: 'event', error: err2 }); return quit(1); }
      events.push(message.body);
      if (message.body.type !== 'chunk') {
        say({ step: 'events', chunks: events.filter((e) => e.type === 'chunk').map((e) => e.index),
          final: message.body.type, result: message.body.result });
        eb.close();
        quit(0);
      }
    });
    // Frames on one connection are handled in order: once this reply is back, the handler is registered.
    // (A status request, not a task: every worker is busy with this job's chunks.)
    eb.send('parallax.jobs.status', { id }, headers, () => say({ step: 'registered', id }));
  });
}
