import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ROOT } from './fixtures.js';

// What `npm install inrstream` brings into a web app: the browser runtime only.
const BROWSER_RUNTIME = [
  '@tensorflow/tfjs-backend-cpu',
  '@tensorflow/tfjs-backend-wasm',
  '@tensorflow/tfjs-backend-webgl',
  '@tensorflow/tfjs-backend-webgpu',
  '@tensorflow/tfjs-core',
  'comlink',
];

describe('the library package (npm pack of the repository root)', () => {
  it('depends on the browser runtime only; the tools are the inrstream-cli workspace', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    assert.deepEqual(Object.keys(pkg.dependencies).sort(), BROWSER_RUNTIME);
    assert.equal(pkg.bin, undefined);
    assert.deepEqual(pkg.workspaces, ['packages/inrstream-cli']);
  });

  it('packs the built library without source maps or tool code', () => {
    // --ignore-scripts: list the dist/ that npm test built instead of rebuilding it (prepack).
    const [pack] = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, encoding: 'utf8' }));
    const files: string[] = pack.files.map((f: { path: string }) => f.path);
    assert.ok(files.includes('dist/inrstream.min.js'), 'build first: npm run build');
    // Every file the package's exports name is in it (the pictures' script tag among them).
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    const named = Object.values(pkg.exports).flatMap((e) => (typeof e === 'string' ? [e] : Object.values(e as Record<string, string>)));
    for (const path of named) assert.ok(files.includes(path.replace(/^\.\//, '')), `${path} is not in the package`);
    assert.deepEqual(
      files.filter((f) => f.endsWith('.map')),
      [],
    );
    assert.deepEqual(
      files.filter((f) => /\b(cli|bench|media)\b|^packages\//.test(f) && !f.startsWith('docs/')),
      [],
    );
  });
});
