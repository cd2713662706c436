// A worker that crashes on its first call of one verb (`?crash=decode`, the default, or
// `?crash=draw`): the call is swallowed (never answered) and an uncaught error is raised, as a
// real crash would. The rest is the real worker script (`?script=`, default the decode worker).
const params = new URLSearchParams(self.location.search);
const verb = params.get('crash') ?? 'decode';
self.addEventListener('message', (event) => {
  const msg = event.data;
  if (msg && msg.type === 'APPLY' && Array.isArray(msg.path) && msg.path[0] === verb) {
    event.stopImmediatePropagation();
    throw new Error(`simulated ${verb} worker crash`);
  }
});
importScripts(params.get('script') ?? '/dist/inrstream-worker.min.js');
