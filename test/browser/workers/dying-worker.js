// A module worker that crashes on its first call of one verb (`?crash=decode`, the default, or
// `?crash=draw`): the call is swallowed (never answered) and an uncaught error is raised, as a
// real crash would. The rest is the real worker script (`?script=`, default the decode worker),
// imported; the calls that arrive meanwhile are held and handed to it once it listens.
const params = new URLSearchParams(self.location.search);
const verb = params.get('crash') ?? 'decode';
self.addEventListener('message', (event) => {
  const msg = event.data;
  if (msg && msg.type === 'APPLY' && Array.isArray(msg.path) && msg.path[0] === verb) {
    event.stopImmediatePropagation();
    throw new Error(`simulated ${verb} worker crash`);
  }
});
const held = [];
const hold = (event) => {
  held.push(event);
  event.stopImmediatePropagation();
};
self.addEventListener('message', hold);
await import(params.get('script') ?? '/dist/inrstream-worker.min.js');
self.removeEventListener('message', hold);
for (const event of held) self.dispatchEvent(new MessageEvent('message', { data: event.data, ports: [...event.ports] }));

// A module (its top-level await needs one): the tests start it with type 'module'.
export {};
