import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type ServerProcess, startServer } from './process.ts';

/**
 * startServer when the port it picked is taken before the server binds it (other suites on
 * the machine bind ports meanwhile): the taker answers /health, our server exits with
 * EADDRINUSE. A stand-in server script plays both parts: on its first run it starts a
 * detached "other process" on its port that answers /health for a while, then fails to
 * listen there as the real server would; on the next run it listens and says so as Fastify
 * does. startServer must hand back the second, live server — not the port the other process
 * answered on (what an e2e suite then saw as "its server gone mid sign-in").
 */
const dir = mkdtempSync(join(tmpdir(), 'costcast-process-'));
const marker = join(dir, 'first-run-done');
const script = join(dir, 'stand-in.mjs');
writeFileSync(
  script,
  `
import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
const port = Number(process.env.PORT);
const health = (_req, res) => {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end('{"status":"ok"}');
};
if (!existsSync(${JSON.stringify(marker)})) {
  writeFileSync(${JSON.stringify(marker)}, '');
  // The other process: takes the port and answers /health, then goes away.
  const other = spawn(process.execPath, ['-e', \`
    const s = require('node:http').createServer((q, r) => { r.writeHead(200); r.end('{}'); });
    s.listen(\${port}, '127.0.0.1');
    setTimeout(() => process.exit(0), 20000);
  \`], { detached: true, stdio: 'ignore' });
  other.unref();
  // Our server binds later, as the real one does after its start-up.
  setTimeout(() => {
    const s = createServer(health);
    s.on('error', (e) => {
      console.error(JSON.stringify({ level: 50, msg: String(e) }));
      process.exit(1);
    });
    s.listen(port, '127.0.0.1');
  }, 1500);
} else {
  const s = createServer(health);
  s.listen(port, '127.0.0.1', () =>
    console.log(JSON.stringify({ level: 30, msg: 'Server listening at http://127.0.0.1:' + port })),
  );
}
`,
);

describe('startServer', () => {
  let server: ServerProcess | undefined;
  afterAll(() => server?.stop());

  it('does not take another process answering on its port for its server, and tries another port', async () => {
    server = await startServer({}, { args: [script] });
    expect(existsSync(marker)).toBe(true);
    // The server handed back is the live second run, listening where it says.
    expect(server.child.exitCode).toBeNull();
    expect(server.output()).toContain(`Server listening at http://127.0.0.1:${server.port}`);
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
  });
});
