// Runs kinesalite as its own process, bound to loopback (its own CLI listens on every
// interface). Usage: node kinesalite-server.cjs --port N --state DIR [--path LEVELDB_DIR]
'use strict';
const { parseArgs } = require('node:util');
const kinesalite = require('kinesalite');

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '4567' },
    host: { type: 'string', default: '127.0.0.1' },
    state: { type: 'string' },
    path: { type: 'string' },
  },
});

const server = kinesalite({
  path: values.path,
  // Streams become ACTIVE quickly: every run creates its own.
  createStreamMs: 50,
  deleteStreamMs: 50,
  updateStreamMs: 50,
  shardLimit: 1000,
});
server.listen(Number(values.port), values.host, () => {
  const { address, port } = server.address();
  console.log(`kinesalite listening at http://${address}:${port}`);
});
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => server.close(() => process.exit(0)));
}
