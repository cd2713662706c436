/**
 * A static file server on 127.0.0.1 that serves only what it is given: folders mounted at URL
 * prefixes and single files at exact URLs (sirv), everything else 404. With `gzip`, responses
 * whose type compresses (scripts, wasm, HTML; not `.inr`, whose type no server knows) go out
 * gzip-ed on the fly (compression), as a plain production static server sends them.
 */
import compression from 'compression';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { basename, dirname, resolve } from 'node:path';
import sirv from 'sirv';

export interface StaticRoute {
  /** A URL prefix ending in `/` (a folder), or an exact URL path (one file). */
  url: string;
  /** The folder or file on disk. */
  path: string;
}

export interface StaticServerOptions {
  routes: StaticRoute[];
  /** Exact URL paths answered with a 302 to another path. */
  redirects?: Record<string, string>;
  /** 0 (the default) picks a free port. */
  port?: number;
  gzip?: boolean;
  /** Called as each response ends with its URL path and the bytes written for it (headers and encoded body). */
  onSent?: (path: string, bytes: number) => void;
}

export interface StaticServer {
  server: Server;
  /** `http://127.0.0.1:<port>` */
  origin: string;
  close(): Promise<void>;
}

type Handler = (req: IncomingMessage, res: ServerResponse, next: () => void) => void;

function notFound(res: ServerResponse): void {
  res.statusCode = 404;
  res.end('not found');
}

/** The route for a (dot-segment-free) path, and the path the route's handler sees. */
function route(routes: { url: string; handle: Handler }[], pathname: string): { handle: Handler; rest: string } | undefined {
  for (const r of routes) {
    if (r.url.endsWith('/') ? pathname.startsWith(r.url) : pathname === r.url)
      return { handle: r.handle, rest: r.url.endsWith('/') ? `/${pathname.slice(r.url.length)}` : '/' };
  }
  return undefined;
}

/** Serves `options.routes` on 127.0.0.1 (the socket, not just the printed address: loopback only). */
export async function startStaticServer(options: StaticServerOptions): Promise<StaticServer> {
  // dev: files are looked up per request (a rebuild's new files are served), never listed once.
  const sirvOptions = { dev: true, etag: true };
  const routes = options.routes.map((r) => ({
    url: r.url,
    // A single file is its folder's sirv, asked for that file only.
    handle: (r.url.endsWith('/') ? sirv(resolve(r.path), sirvOptions) : sirvFile(resolve(r.path), sirvOptions)) as Handler,
  }));
  const gzip = options.gzip ? (compression() as unknown as Handler) : undefined;
  const server = createServer((req, res) => {
    // The URL parser resolves `.` and `..` segments (also %2e-encoded ones) before routing, so
    // no path climbs out of its mount; sirv checks again that a file is inside its folder.
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (options.onSent) {
      // One response at a time per connection (HTTP/1.1), so the socket's count is this response's.
      const before = req.socket.bytesWritten;
      res.once('finish', () => options.onSent!(url.pathname, req.socket.bytesWritten - before));
    }
    const to = options.redirects?.[url.pathname];
    if (to !== undefined) {
      res.writeHead(302, { Location: to + url.search });
      res.end();
      return;
    }
    // Dot files and folders (.git, .env) are never served, in any mount.
    const found = url.pathname.includes('/.') ? undefined : route(routes, url.pathname);
    if (!found) return notFound(res);
    req.url = found.rest + url.search;
    const serve = () => found.handle(req, res, () => notFound(res));
    if (gzip) gzip(req, res, serve);
    else serve();
  });
  await new Promise<void>((done, fail) => {
    server.once('error', fail);
    server.listen(options.port ?? 0, '127.0.0.1', done);
  });
  const { port } = server.address() as AddressInfo;
  return {
    server,
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}

function sirvFile(file: string, sirvOptions: Parameters<typeof sirv>[1]): Handler {
  const folder = sirv(dirname(file), sirvOptions);
  return (req, res, next) => {
    req.url = `/${basename(file)}`;
    folder(req, res, next);
  };
}
