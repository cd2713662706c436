// Dev-server routes that misbehave on purpose, for the loader's browser tests (loopback only).
import { readFileSync } from 'node:fs';

const model = () => readFileSync(new URL('../../demo/models/astronaut512.inr', import.meta.url));

const routes = {
  // A complete model, as a static server would send it.
  'ok.inr': (ctx) => {
    ctx.type = 'application/octet-stream';
    ctx.body = model();
  },
  // An SPA fallback: 200 with an HTML page.
  'html.inr': (ctx) => {
    ctx.type = 'text/html';
    ctx.body = '<!doctype html><title>Home</title>';
  },
  // Announces the whole length, sends half, then drops the connection.
  'dropped.inr': (ctx) => {
    const bytes = model();
    ctx.respond = false;
    ctx.res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': bytes.length });
    ctx.res.write(bytes.subarray(0, bytes.length >> 1));
    setTimeout(() => ctx.res.destroy(), 50);
  },
  // Ends cleanly, without a length, after half the file.
  'short.inr': (ctx) => {
    ctx.type = 'application/octet-stream';
    ctx.body = model().subarray(0, 5000);
  },
};

export function misbehavingRoutes(prefix = '/test-routes/') {
  return (ctx, next) => {
    if (!ctx.path.startsWith(prefix)) return next();
    const route = routes[ctx.path.slice(prefix.length)];
    if (!route) {
      ctx.status = 404;
      ctx.body = 'no such route';
      return undefined;
    }
    return route(ctx);
  };
}
