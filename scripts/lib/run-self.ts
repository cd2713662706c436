/**
 * Benchmark runs as child processes: a script runs itself again with its own arguments (less
 * --json) plus `extra`, and the child prints its result as one JSON object on stdout (progress
 * goes to stderr, passed through). Separate processes let runs go side by side, one per core.
 */
import { spawn } from 'node:child_process';

export function runSelf<T>(scriptUrl: string, extra: string[], what: string): Promise<T> {
  const argv = process.argv.slice(2).filter((a) => a !== '--json');
  const proc = spawn(process.execPath, [...process.execArgv, new URL(scriptUrl).pathname, ...argv, ...extra], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  proc.stdout.on('data', (d) => (out += d));
  return new Promise((resolve, reject) =>
    proc.on('close', (code) => (code === 0 ? resolve(JSON.parse(out) as T) : reject(new Error(`${what} failed (exit ${code})`)))),
  );
}
