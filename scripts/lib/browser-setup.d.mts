import type { RollupCommonJSOptions } from '@rollup/plugin-commonjs';

export { CHROMIUM_ARGS } from '../../src/bench/chromium-args.mjs';
export declare const TFJS_COMMONJS: RollupCommonJSOptions;
