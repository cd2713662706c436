/**
 * Peak memory of a headless Chromium while something runs in it: the resident set of every
 * process the browser started (the page's renderer with its workers, the GPU and utility
 * processes), summed and sampled every few milliseconds from /proc, less the sum before. Linux
 * only, as CI is; a freed allocation counts until the sample after it, so a figure is a peak.
 */
import { readdirSync, readFileSync } from 'node:fs';

function children(): Map<number, number[]> {
  const map = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      // Field 4 of /proc/PID/stat is the parent; the command name (field 2) may hold spaces.
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      map.set(ppid, [...(map.get(ppid) ?? []), Number(name)]);
    } catch {
      // The process ended between the listing and the read.
    }
  }
  return map;
}

/** Resident bytes of `root` and all its descendants. */
export function treeRss(root: number): number {
  const kids = children();
  let bytes = 0;
  for (const stack = [root]; stack.length > 0;) {
    const pid = stack.pop()!;
    stack.push(...(kids.get(pid) ?? []));
    try {
      const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (m) bytes += Number(m[1]) * 1024;
    } catch {
      // Gone already.
    }
  }
  return bytes;
}

/** Runs `task` while sampling; returns its result, the peak growth in bytes and its duration. */
export async function measurePeak<T>(root: number, task: () => Promise<T>, everyMs = 10): Promise<{ result: T; peakBytes: number; ms: number }> {
  const before = treeRss(root);
  let peak = before;
  const timer = setInterval(() => (peak = Math.max(peak, treeRss(root))), everyMs);
  const start = performance.now();
  try {
    const result = await task();
    peak = Math.max(peak, treeRss(root));
    return { result, peakBytes: Math.max(0, peak - before), ms: performance.now() - start };
  } finally {
    clearInterval(timer);
  }
}
