// A draw worker that crashes on its first tile: the request is swallowed (never answered) and
// an uncaught error is raised, as a real crash would.
self.addEventListener('message', (event) => {
  const msg = event.data;
  if (msg && msg.type === 'APPLY' && Array.isArray(msg.path) && msg.path[0] === 'draw') {
    event.stopImmediatePropagation();
    throw new Error('simulated draw worker crash');
  }
});
importScripts('/dist/inrstream-draw-worker.min.js');
