/**
 * Runs the bench:gpu bundle with a Vulkan that Dawn can use. Dawn in Node opens `libvulkan.so.1`
 * through the system's library path; a machine without a GPU driver (this project's development
 * and CI machines) has no loader or no driver, but Debian's Chromium carries a loader and
 * SwiftShader's Vulkan driver beside its binary. So: the machine's own Vulkan first, and only if
 * Dawn finds no adapter there, again with the loader path and the driver list pointed at
 * Chromium's (a software, fallback adapter).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { NO_ADAPTER_EXIT } from './report.js';

const ICD = 'vk_swiftshader_icd.json';

/** Chromium's library folder with a Vulkan loader and SwiftShader's driver: beside CHROMIUM_PATH's binary, else Debian's. */
function chromiumVulkanDir(): string | undefined {
  const dirs: string[] = [];
  const path = process.env.CHROMIUM_PATH;
  if (path && existsSync(path)) dirs.push(dirname(realpathSync(path)));
  dirs.push('/usr/lib/chromium');
  return dirs.find((d) => existsSync(join(d, ICD)) && existsSync(join(d, 'libvulkan.so.1')));
}

/** The environment that makes Dawn load Chromium's Vulkan loader and SwiftShader driver from `dir`. */
function swiftShaderEnv(dir: string): NodeJS.ProcessEnv {
  const icd = join(dir, ICD);
  return {
    ...process.env,
    LD_LIBRARY_PATH: [dir, process.env.LD_LIBRARY_PATH].filter(Boolean).join(':'),
    // VK_DRIVER_FILES for current loaders, VK_ICD_FILENAMES for older ones.
    VK_DRIVER_FILES: icd,
    VK_ICD_FILENAMES: icd,
  };
}

export interface BenchRun {
  status: number | null;
  /** The bundle's stdout when captured. */
  stdout: string;
  /** Every attempt's stderr when captured. */
  stderr: string;
}

/** Runs `node bundle ...args`, on this machine's Vulkan, else on Chromium's SwiftShader; `capture` keeps the output instead of passing it through. */
export function runGpuBench(bundle: string, args: string[], capture: boolean): BenchRun {
  const attempt = (env: NodeJS.ProcessEnv) =>
    spawnSync(process.execPath, [bundle, ...args], { env, stdio: capture ? 'pipe' : 'inherit', encoding: 'utf8', maxBuffer: 1 << 26 });
  const first = attempt(process.env);
  const dir = first.status === NO_ADAPTER_EXIT ? chromiumVulkanDir() : undefined;
  if (!dir) return { status: first.status, stdout: first.stdout ?? '', stderr: first.stderr ?? '' };
  const note = `Dawn found no adapter on this machine's Vulkan; again with Chromium's Vulkan loader and SwiftShader driver (${dir})`;
  if (!capture) console.error(note);
  const second = attempt(swiftShaderEnv(dir));
  return { status: second.status, stdout: second.stdout ?? '', stderr: `${first.stderr ?? ''}${note}\n${second.stderr ?? ''}` };
}
