import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import { startStaticServer, type StaticServer } from '../../../scripts/lib/static-server.js';

/** A GET asking for gzip, as a browser does; the body as received (still encoded). */
function get(url: string): Promise<{ status: number; encoding?: string; body: Buffer }> {
  return new Promise((done, fail) => {
    request(url, { headers: { 'accept-encoding': 'gzip' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => done({ status: res.statusCode!, encoding: res.headers['content-encoding'], body: Buffer.concat(chunks) }));
    })
      .on('error', fail)
      .end();
  });
}

describe('scripts/lib/static-server.ts with gzip (the delivery bench’s server)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'inrstream-static-'));
  const script = `const x = ${JSON.stringify('a'.repeat(5000))};\n`;
  const model = new Uint8Array(5000).map((_, i) => (i * 7919) % 251);
  const sent: [string, number][] = [];
  let server: StaticServer;
  before(async () => {
    writeFileSync(join(dir, 'a.js'), script);
    writeFileSync(join(dir, 'm.inr'), model);
    writeFileSync(join(dir, '.env'), 'SECRET=1');
    server = await startStaticServer({ gzip: true, routes: [{ url: '/x/', path: dir }], onSent: (path, bytes) => sent.push([path, bytes]) });
  });
  after(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('gzips a script, sends an .inr as it is, and counts the bytes each response put on the wire', async () => {
    const js = await get(`${server.origin}/x/a.js`);
    assert.equal(js.encoding, 'gzip');
    assert.equal(gunzipSync(js.body).toString(), script);
    assert.ok(js.body.length < 200, `${js.body.length} bytes`);
    const inr = await get(`${server.origin}/x/m.inr`);
    assert.equal(inr.encoding, undefined);
    assert.deepEqual(new Uint8Array(inr.body), model);
    assert.equal((await get(`${server.origin}/m.inr`)).status, 404);
    assert.equal((await get(`${server.origin}/x/.env`)).status, 404);
    const bytes = new Map(sent);
    // Each count is the body plus its headers (a few hundred bytes).
    assert.ok(bytes.get('/x/a.js')! > js.body.length && bytes.get('/x/a.js')! < js.body.length + 500, `${bytes.get('/x/a.js')}`);
    assert.ok(bytes.get('/x/m.inr')! > model.length && bytes.get('/x/m.inr')! < model.length + 500, `${bytes.get('/x/m.inr')}`);
    assert.ok(bytes.has('/m.inr'));
  });
});
