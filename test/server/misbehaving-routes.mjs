// Dev-server routes that misbehave on purpose, for the loader's browser tests (loopback only).
import { readFileSync } from 'node:fs';

const model = () => readFileSync(new URL('../../demo/models/astronaut512.inr', import.meta.url));

const clip = () => readFileSync(new URL('../../demo/models/cockatoo16x180x320.inr', import.meta.url));

/** Bytes of a segmented .inr up to the end of its first segment's tensors. */
function firstSegmentEnd(bytes) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = view.getUint32(12, true);
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(20, 20 + headerLength)));
  const dataStart = Math.ceil((20 + headerLength) / 16) * 16;
  const prefix = header.segments[0].prefix;
  const ends = header.tensors.filter((t) => t.name.startsWith(prefix)).map((t) => t.offset + t.length);
  return dataStart + Math.max(...ends);
}

const routes = {
  // Announces the whole model, sends its first 4 KiB, then nothing (the connection is dropped
  // after 30 s, long after any test gave up).
  'stall.inr': (ctx) => {
    const bytes = model();
    ctx.respond = false;
    ctx.res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': bytes.length });
    ctx.res.write(bytes.subarray(0, 4096));
    setTimeout(() => ctx.res.destroy(), 30000);
  },
  // Never answers: no status, no headers (dropped after 30 s).
  'silent.inr': (ctx) => {
    ctx.respond = false;
    setTimeout(() => ctx.res.destroy(), 30000);
  },
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
  // The shipped video clip from a server that honours Range requests (206), each answer
  // ?delay= ms late (default 0); ?slow=N delays only the answer whose range starts at byte N
  // by a further 3 s; ?cut=1 sends segment answers (not the first range) 100 bytes short.
  'range-video.inr': (ctx) => {
    const bytes = clip();
    const m = /^bytes=(\d+)-(\d*)$/.exec(ctx.get('range'));
    const delay = Number(ctx.query.delay ?? 0);
    if (!m) {
      ctx.type = 'application/octet-stream';
      ctx.body = bytes;
      return undefined;
    }
    const start = Number(m[1]);
    const end = Math.min(bytes.length - 1, m[2] === '' ? bytes.length - 1 : Number(m[2]));
    const extra = ctx.query.slow !== undefined && Number(ctx.query.slow) === start ? 3000 : 0;
    return new Promise((/** @type {(value?: unknown) => void} */ resolve) =>
      setTimeout(() => {
        ctx.status = 206;
        ctx.type = 'application/octet-stream';
        ctx.set('content-range', `bytes ${start}-${end}/${bytes.length}`);
        ctx.body = bytes.subarray(start, ctx.query.cut && start > 0 ? end + 1 - 100 : end + 1);
        resolve();
      }, delay + extra),
    );
  },
  // The shipped video clip: its first segment at once, then nothing for ?ms= (default 1500)
  // milliseconds, then the rest: a stream that stalls mid-clip.
  'stall-video.inr': (ctx) => {
    const bytes = clip();
    const cut = firstSegmentEnd(bytes);
    const ms = Number(ctx.query.ms ?? 1500);
    ctx.respond = false;
    ctx.res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': bytes.length });
    ctx.res.write(bytes.subarray(0, cut));
    setTimeout(() => ctx.res.end(bytes.subarray(cut)), ms);
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
