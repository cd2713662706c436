// What any rollup app that installs packages from npm has: node-resolve to find them (browser
// builds), commonjs for dependencies published as CommonJS. Nothing for inrstream.
import commonjs from '@rollup/plugin-commonjs';
import { nodeResolve } from '@rollup/plugin-node-resolve';

export default {
  input: 'main.js',
  output: { dir: 'dist', format: 'es' },
  plugins: [nodeResolve({ browser: true }), commonjs()],
};
