/**
 * A tiny static file server for the built package: the bench-budget CLI serves dist/ (the
 * bench page, its bundle, the tfjs .wasm files, the shipped models) to Chromium on 127.0.0.1.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, resolve, sep } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.map': 'application/json',
  // WebAssembly.instantiateStreaming insists on this type.
  '.wasm': 'application/wasm',
  '.inr': 'application/octet-stream',
};

export interface StaticServer {
  /** Base URL, ending in '/'. */
  url: string;
  close(): Promise<void>;
}

/** Serves the files under `root` (nothing outside it) as http://127.0.0.1:<port>/<prefix>/<path>. */
export async function serveDirectory(root: string, prefix: string): Promise<StaticServer> {
  const base = resolve(root);
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
    const file = resolve(join(base, path.startsWith(`/${prefix}/`) ? path.slice(prefix.length + 2) : '\0'));
    const type = TYPES[extname(file)];
    const info = type && file.startsWith(base + sep) && req.method === 'GET' ? await stat(file).catch(() => undefined) : undefined;
    if (!info?.isFile()) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': type!, 'content-length': info.size, 'cache-control': 'no-store' });
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((ok, fail) => server.once('error', fail).listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/${prefix}/`,
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}
