// Starts the embedded Playbooks suite (gateway + four services, SQLite, in-process bus) for browser tests:
// builds what is missing, picks a free loopback port and a fresh data directory, and stops it afterwards.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const webRoot = resolve(here, '../..');
export const repoRoot = resolve(webRoot, '..');
const embeddedDll = join(repoRoot, 'embedded/bin/Debug/net10.0/Playbooks.Embedded.dll');

function run(command, args, cwd) {
  const result = spawnSync(command, args, { cwd, stdio: 'inherit', env: process.env });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed with exit code ${result.status}`);
}

/** Builds the suite and the web app unless they are built already (PLAYBOOKS_E2E_REBUILD=1 forces both). */
export function ensureBuilt() {
  const force = process.env.PLAYBOOKS_E2E_REBUILD === '1';
  if (force || !existsSync(join(webRoot, 'dist/index.html'))) run('npm', ['run', 'build', '--silent'], webRoot);
  if (force || !existsSync(embeddedDll)) {
    run('bash', ['eng/local-packages.sh'], repoRoot);
    run('dotnet', ['build', 'embedded', '-v', 'q', '-nologo', '-clp:NoSummary'], repoRoot);
  }
}

export function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
  });
}

/**
 * Whether the engine answers through the gateway. Every API needs a signed-in caller (issue 11), so this signs in with
 * the embedded dev sign-in first; the gateway may answer that before the engine behind it is up.
 */
async function engineAnswers(url) {
  const signIn = await fetch(`${url}/api/auth/dev-sign-in`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ user: 'e2e-startup@example.com', role: 'admin' }),
  });
  if (!signIn.ok) return false;
  const { token } = await signIn.json();
  const response = await fetch(`${url}/api/engine/activities`, { headers: { Authorization: `Bearer ${token}` } });
  return response.ok;
}

/** Starts the suite and waits until its API answers; `stop()` ends it and removes its data. */
export async function startSuite({ timeoutMs = 120_000 } = {}) {
  ensureBuilt();
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const dataPath = mkdtempSync(join(tmpdir(), 'playbooks-e2e-'));
  const log = [];
  const child = spawn('dotnet', [embeddedDll], {
    cwd: repoRoot,
    env: { ...process.env, Playbooks__Url: url, Playbooks__DataPath: dataPath, Playbooks__WebRoot: join(webRoot, 'dist'), DOTNET_NOLOGO: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const remember = (chunk) => { log.push(chunk.toString()); if (log.length > 400) log.shift(); };
  child.stdout.on('data', remember);
  child.stderr.on('data', remember);
  const exited = new Promise((resolveExit) => child.on('exit', (code) => resolveExit(code)));
  // Whatever happens to this test process, the suite it started goes with it.
  const killOnExit = () => { if (child.exitCode === null) child.kill('SIGKILL'); };
  process.on('exit', killOnExit);

  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`The suite exited with code ${child.exitCode}:\n${log.join('')}`);
    try {
      if (await engineAnswers(url)) break;
    } catch { /* not listening yet */ }
    if (Date.now() > deadline) { child.kill('SIGKILL'); throw new Error(`The suite did not answer within ${timeoutMs} ms:\n${log.join('')}`); }
    await new Promise((r) => setTimeout(r, 300));
  }

  return {
    url,
    dataPath,
    log: () => log.join(''),
    async stop() {
      process.off('exit', killOnExit);
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(dataPath, { recursive: true, force: true });
    },
  };
}
