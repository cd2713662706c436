import type { RollupCommonJSOptions } from '@rollup/plugin-commonjs';

export declare const CHROMIUM_ARGS: string[];
export declare const TFJS_COMMONJS: RollupCommonJSOptions;
