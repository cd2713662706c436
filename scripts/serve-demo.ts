/**
 * `npm start` (after the build): the demo at http://127.0.0.1:8000/ (PORT to change it), on
 * the loopback interface only, serving only what the demo's pages load: demo/ (pages, models,
 * the trainer's sample), dist/ (the library's bundles), the budget meter's built page and
 * chart.js's one script. Nothing else of the repository (.git, src, node_modules, package.json)
 * is reachable. @web/dev-server is not used for this: it listens on every interface when asked
 * for 127.0.0.1.
 */
import { fileURLToPath } from 'node:url';
import { startStaticServer, type StaticServer } from './lib/static-server.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

export function startDemoServer(port: number): Promise<StaticServer> {
  return startStaticServer({
    port,
    redirects: { '/': '/demo/', '/demo': '/demo/' },
    routes: [
      { url: '/demo/', path: `${ROOT}demo` },
      { url: '/dist/', path: `${ROOT}dist` },
      { url: '/packages/inrstream-cli/dist/', path: `${ROOT}packages/inrstream-cli/dist` },
      // demo/train.html's chart.
      { url: '/node_modules/chart.js/dist/chart.umd.js', path: `${ROOT}node_modules/chart.js/dist/chart.umd.js` },
    ],
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { origin } = await startDemoServer(Number(process.env.PORT ?? 8000));
  console.log(`inrstream demo: ${origin}/demo/ (this machine only)`);
}
