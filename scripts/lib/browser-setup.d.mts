import type { RollupCommonJSOptions } from '@rollup/plugin-commonjs';
import type { Plugin } from 'rollup';

export { CHROMIUM_ARGS } from '../../packages/inrstream-cli/src/bench/chromium-args.mjs';
export declare const TFJS_COMMONJS: RollupCommonJSOptions;
export declare const copyTfjsWasm: () => Plugin;
