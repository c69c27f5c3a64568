// Starts the real goodhart binary on 127.0.0.1 (port 0: the kernel picks one) and waits for its
// "listening on http://127.0.0.1:PORT" line.
import { spawn } from 'node:child_process';

export async function startServer({ bin, data, config }) {
  const child = spawn(bin, ['serve', '--data', data, '--config', config, '--listen', '127.0.0.1:0'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  const url = await new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const m = out.match(/listening on (http:\/\/127\.0\.0\.1:\d+)/);
      if (m) resolve(m[1]);
    });
    child.on('exit', (code) => reject(new Error(`goodhart serve exited with ${code}: ${stderr}`)));
  });
  return {
    url,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.on('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
    stderr: () => stderr,
  };
}
