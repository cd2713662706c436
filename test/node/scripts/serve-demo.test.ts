import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { connect, type AddressInfo } from 'node:net';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startDemoServer } from '../../../scripts/serve-demo.js';
import type { StaticServer } from '../../../scripts/lib/static-server.js';
import { ROOT } from '../fixtures.js';

/** Resolves to the connection's error code, or 'connected'. */
function tryConnect(host: string, port: number): Promise<string> {
  return new Promise((done) => {
    const socket = connect({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      done('connected');
    });
    socket.once('error', (e: NodeJS.ErrnoException) => done(e.code ?? e.message));
  });
}

describe('npm start (scripts/serve-demo.ts)', () => {
  let demo: StaticServer;
  before(async () => {
    demo = await startDemoServer(0);
  });
  after(() => demo.close());

  it('is what npm start runs after the build', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    assert.match(pkg.scripts.start!, /&& node --import tsx scripts\/serve-demo\.ts$/);
  });

  it('listens on 127.0.0.1 only: the socket is bound there, and the machine’s other addresses are refused', async () => {
    const { address, port } = demo.server.address() as AddressInfo;
    assert.equal(address, '127.0.0.1');
    assert.equal(await tryConnect('127.0.0.1', port), 'connected');
    const others = Object.values(networkInterfaces())
      .flat()
      // Link-local IPv6 addresses need a scope to connect to; every other address is tried.
      .filter((a) => a && !a.internal && !a.scopeid)
      .map((a) => a!.address);
    for (const host of others) assert.equal(await tryConnect(host, port), 'ECONNREFUSED', host);
  });

  it('serves the demo, its models, the bundles and the meter page', async () => {
    const root = await fetch(`${demo.origin}/`, { redirect: 'manual' });
    assert.equal(root.status, 302);
    assert.equal(root.headers.get('location'), '/demo/');
    for (const path of [
      '/demo/',
      '/demo/models/kodim02-768x512.inr',
      '/demo/models/jpeg/kodim02-768x512.jpg',
      '/demo/models/sources/astronaut128.png',
      '/node_modules/chart.js/dist/chart.umd.js',
    ]) {
      const res = await fetch(demo.origin + path);
      assert.equal(res.status, 200, path);
      await res.arrayBuffer();
    }
    assert.match(await (await fetch(`${demo.origin}/demo/`)).text(), /<inr-image src="models\/kodim02-768x512\.inr"/);
  });

  it('serves nothing else of the repository (also through .. and encoded dots and slashes)', async () => {
    const paths = [
      '/.git/config',
      '/.git/HEAD',
      '/package.json',
      '/src/index.ts',
      '/node_modules/chart.js/package.json',
      '/node_modules/comlink/package.json',
      '/scripts/serve-demo.ts',
      '/demo/../.git/config',
      '/demo/%2e%2e/.git/config',
      '/demo/..%2f.git/config',
      '/dist/%2e%2e%2fpackage.json',
      '/demo/models/..%2F..%2F..%2Fpackage.json',
    ];
    for (const path of paths) {
      // fetch() would resolve the dots itself: the raw request line goes out as written.
      const status = await new Promise<number>((done, fail) => {
        const socket = connect({ host: '127.0.0.1', port: (demo.server.address() as AddressInfo).port });
        let reply = '';
        socket.on('data', (d) => (reply += d));
        socket.on('end', () => done(Number(reply.split(' ')[1])));
        socket.on('error', fail);
        socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`);
      });
      assert.equal(status, 404, path);
    }
  });
});
