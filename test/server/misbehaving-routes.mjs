// Dev-server routes that misbehave on purpose, for the loader's browser tests (loopback only).
import { readFileSync } from 'node:fs';

const model = () => readFileSync(new URL('../../demo/models/astronaut512.inr', import.meta.url));

const clip = () => readFileSync(new URL('../../demo/models/cockatoo16x180x320.inr', import.meta.url));

/** An .inr's JSON header and where its data starts (docs/FORMAT.md, "Layout"). */
function headerOf(bytes) {
  const headerLength = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(12, true);
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(20, 20 + headerLength)));
  return { header, dataStart: Math.ceil((20 + headerLength) / 16) * 16 };
}

/** Bytes of a segmented .inr up to the end of its first segment's tensors. */
function firstSegmentEnd(bytes) {
  const { header, dataStart } = headerOf(bytes);
  const prefix = header.segments[0].prefix;
  const ends = header.tensors.filter((t) => t.name.startsWith(prefix)).map((t) => t.offset + t.length);
  return dataStart + Math.max(...ends);
}

/** A demo model's bytes and where each level's bytes end in the file (its header's levelEnds, from the file's start). */
function levelCuts(name) {
  const bytes = readFileSync(new URL(`../../demo/models/${name.replace(/[^\w.-]/g, '')}`, import.meta.url));
  const { header, dataStart } = headerOf(bytes);
  // The last level's bytes run to the end of the file: a version-4 file's provenance follows them.
  return { bytes, cuts: header.levelEnds.map((end, k, all) => (k === all.length - 1 ? bytes.length : dataStart + end)) };
}

/** Per `levels.inr?id=`: the file's level cuts, how many levels may go out, the bytes sent, and what sends more. */
const trickles = new Map();

/** What each `hostile-range.inr?id=` client asked for and was sent (bytes per answer), read back by `hostile-log?id=`. */
const logs = new Map();

/** The clip with its preamble's header length set to `length` (the rest unchanged). */
function withHeaderLength(bytes, length) {
  const out = Uint8Array.from(bytes);
  new DataView(out.buffer).setUint32(12, length, true);
  return out;
}

/** Writes zeros to `res` for ever, counting them in `log.sent[k]` (dropped after 256 MiB sent or 30 s). */
function endless(res, log, k) {
  const filler = new Uint8Array(64 * 1024);
  const began = Date.now();
  const pump = () => {
    while (!res.destroyed && log.sent[k] < 256 * 2 ** 20 && Date.now() - began < 30000) {
      log.sent[k] += filler.length;
      if (!res.write(filler)) return void res.once('drain', pump);
    }
    res.destroy();
  };
  pump();
}

/**
 * Answers one Range request of `hostile-range.inr` as ?mode= says, counting the bytes written
 * for each answer:
 * `endless`: the span asked for, then zeros for ever (no Content-Length); `whole`: a 200 (Range
 * ignored) with the whole file, then zeros for ever, as from a file far larger than the clip;
 * `stall`: announces the span, sends half, then nothing (dropped after 30 s); `drop`: announces
 * the span, sends half, then drops the connection; `steady`: the span in 4 pieces, one every
 * ?every= ms (default 300); none: the span at once.
 */
function answerRange(ctx, bytes, start, end, mode, log) {
  const span = bytes.subarray(start, end + 1);
  const res = ctx.res;
  const k = log.sent.push(0) - 1;
  const write = (chunk) => {
    log.sent[k] += chunk.length;
    return res.write(chunk);
  };
  ctx.respond = false;
  const type = { 'content-type': 'application/octet-stream' };
  const range = { ...type, 'content-range': `bytes ${start}-${end}/${bytes.length}` };
  if (mode === 'endless' || mode === 'whole') {
    res.writeHead(mode === 'whole' ? 200 : 206, mode === 'whole' ? type : range);
    write(mode === 'whole' ? bytes : span);
    return endless(res, log, k);
  }
  res.writeHead(206, { ...range, 'content-length': span.length });
  if (mode === 'steady') {
    const every = Number(ctx.query.every ?? 300);
    const size = Math.ceil(span.length / 4);
    const piece = (k) => {
      if (k * size >= span.length) return void res.end();
      write(span.subarray(k * size, (k + 1) * size));
      setTimeout(() => piece(k + 1), every);
    };
    return piece(0);
  }
  if (mode === 'stall' || mode === 'drop') {
    write(span.subarray(0, span.length >> 1));
    return void setTimeout(() => res.destroy(), mode === 'drop' ? 50 : 30000);
  }
  write(span);
  return void res.end();
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
  // The shipped video clip from a hostile server that honours Range: each answer misbehaves as
  // ?mode= says (answerRange); ?on=probe or ?on=segments limits that to the first answer (bytes
  // 0-) or to the later ones; ?header=huge makes the preamble claim a 4 GiB header. ?id= names
  // the log (ranges asked for, bytes sent) that `hostile-log?id=` returns.
  'hostile-range.inr': (ctx) => {
    const bytes = ctx.query.header === 'huge' ? withHeaderLength(clip(), 0xfffffff0) : clip();
    const id = String(ctx.query.id);
    if (!logs.has(id)) logs.set(id, { ranges: [], sent: [] });
    const log = logs.get(id);
    const m = /^bytes=(\d+)-(\d+)$/.exec(ctx.get('range'));
    log.ranges.push(ctx.get('range'));
    if (!m) {
      ctx.status = 416;
      return undefined;
    }
    const start = Number(m[1]);
    const end = Math.min(bytes.length - 1, Number(m[2]));
    const on = ctx.query.on ?? 'all';
    const hostile = on === 'all' || (on === 'probe') === (start === 0);
    return answerRange(ctx, bytes, start, end, hostile ? ctx.query.mode : 'none', log);
  },
  'hostile-log': (ctx) => {
    ctx.type = 'application/json';
    ctx.body = JSON.stringify(logs.get(String(ctx.query.id)) ?? null);
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

// Level by level: `levels.inr?file=NAME&id=ID` sends the demo model NAME (a file with level
// heads) up to the end of its level 1, then each further level only when `levels-next?id=ID`
// asks (`&drop=1`: drops the connection instead); `levels-log?id=ID` says the cuts and the
// bytes sent so far.
routes['levels.inr'] = (ctx) => {
  const { bytes, cuts } = levelCuts(String(ctx.query.file));
  /** @type {{ cuts: number[], released: number, sent: number, more?: () => void, drop: () => void }} */
  const state = { cuts, released: 1, sent: 0, drop: () => ctx.res.destroy() };
  trickles.set(String(ctx.query.id), state);
  ctx.respond = false;
  ctx.res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': bytes.length });
  const pump = () => {
    const end = cuts[Math.min(state.released, cuts.length) - 1];
    if (end > state.sent) {
      ctx.res.write(bytes.subarray(state.sent, end));
      state.sent = end;
    }
    if (state.sent === bytes.length) ctx.res.end();
    else state.more = pump;
  };
  pump();
};
routes['levels-next'] = (ctx) => {
  const state = trickles.get(String(ctx.query.id));
  if (ctx.query.drop) state.drop();
  else {
    state.released++;
    state.more?.();
  }
  ctx.type = 'application/json';
  ctx.body = JSON.stringify({ sent: state.sent });
};
routes['levels-log'] = (ctx) => {
  const state = trickles.get(String(ctx.query.id));
  ctx.type = 'application/json';
  ctx.body = JSON.stringify(state ? { cuts: state.cuts, sent: state.sent } : null);
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
