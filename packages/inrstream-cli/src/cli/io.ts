import { randomBytes } from 'node:crypto';
import { readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, basename, join } from 'node:path';

/** A mistake in how the command was called: exit code 2. */
export class UsageError extends Error {}

/** A file the command cannot read: exit code 1, one line naming the file. */
export class FileError extends Error {}

const MAX_INPUT_BYTES = 2 ** 31;

export async function readInput(path: string): Promise<Uint8Array> {
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new FileError(`${path}: not a regular file`);
    if (info.size > MAX_INPUT_BYTES) throw new FileError(`${path}: ${info.size} bytes is too large`);
    return new Uint8Array(await readFile(path));
  } catch (e) {
    if (e instanceof FileError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    throw new FileError(`${path}: ${code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
  }
}

/** Writes through a temporary sibling and a rename, so a failure never leaves a partial file. */
export async function writeOutput(path: string, data: Uint8Array): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await writeFile(tmp, data);
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true });
    throw new FileError(`${path}: cannot write (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
}
