// A module worker that misbehaves on a call of one verb (`?crash=decode`, the default, or
// `?crash=draw`, `?crash=settle`...): the call is swallowed (never answered), and then the worker
// raises an uncaught error as a real crash would (`?fail=crash`, the default), spins for ever
// (`?fail=hang`), or closes itself without a word (`?fail=close`). `?after=N` lets the first N
// calls of the verb through (a failure mid-render); `?once=KEY` misbehaves in only the first
// worker started with that key (Cache Storage remembers it), so that a replacement started from
// the same URL is healthy. The rest is the real worker script (`?script=`, default the decode
// worker), imported; the calls that arrive meanwhile are held and handed to it once it listens.
const params = new URLSearchParams(self.location.search);
const verb = params.get('crash') ?? 'decode';
const fail = params.get('fail') ?? 'crash';
const after = Number(params.get('after') ?? 0);
const once = params.get('once');
const mark = once === null ? undefined : `inrstream-test-misbehaved-${once}`;
let healthy = false;
let calls = 0;
const held = [];
const hold = (event) => {
  held.push(event);
  event.stopImmediatePropagation();
};
self.addEventListener('message', hold);

function misbehave() {
  if (fail === 'close') self.close();
  else if (fail === 'hang') for (;;);
  else throw new Error(`simulated ${verb} worker crash`);
}

self.addEventListener('message', (event) => {
  const msg = event.data;
  if (healthy || !(msg && msg.type === 'APPLY' && Array.isArray(msg.path) && msg.path[0] === verb) || ++calls <= after) return;
  event.stopImmediatePropagation();
  healthy = mark !== undefined;
  if (mark === undefined) misbehave();
  else caches.open(mark).then(misbehave);
});
healthy = mark !== undefined && (await caches.has(mark));
await import(params.get('script') ?? '/dist/inrstream-worker.min.js');
self.removeEventListener('message', hold);
for (const event of held) self.dispatchEvent(new MessageEvent('message', { data: event.data, ports: [...event.ports] }));

// A module (its top-level await needs one): the tests start it with type 'module'.
export {};
