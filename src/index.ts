/**
 * inrstream: play neural (ASMR) images and video in the browser. The curated surface: the
 * runtime, the elements, loading, the container's read and write, the engine and its one-shot
 * decode, the video player, errors and types. Maths and format primitives are on the secondary
 * entry `inrstream/core` (src/core.ts). docs/ARCHITECTURE.md says what belongs where.
 */
export * from './image.js';
export { encodeInr, writeInr } from './format/index.js';
export type { InrEncodeOptions, InrTensorInput, InrWriteOptions } from './format/index.js';
export { openVideo, type OpenVideoOptions } from './video/open.js';
export { VideoSource, type VideoSegment, type VideoSourceEventMap } from './video/source.js';
export { VideoPlayer } from './video/player.js';
export type { PlayerOptions, PresentedFrame, SegmentProgress, VideoPlayerEventMap } from './video/player-types.js';
export type { PlayerState } from './video/player-state.js';
export type { Detail, DecodedFrame } from './video/frame-decoder.js';
export type { PlaybackStats } from './video/stats.js';
export { defineInrVideo, InrVideoElement, type InrVideoErrorDetail, type InrVideoEventMap } from './elements/inr-video.js';

import { defineInrVideo } from './elements/inr-video.js';

// <inr-image> is registered by ./image.js; one <script> tag registers both.
defineInrVideo();
