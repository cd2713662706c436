/** What the video player takes (options) and tells (its events, typed: src/util/events.ts). */
import type { Now } from './clock.js';
import type { Detail } from './frame-decoder.js';

export interface PlayerOptions {
  loop?: boolean;
  playbackRate?: number;
  /** Frames decoded ahead of the one due (a buffer against hiccups of the main thread). Default 6. */
  ahead?: number;
  /**
   * MACs a frame may spend at full detail (more: the coarser pass), or 'auto' (default): the
   * measured decode time against the time left until the frame is due.
   */
  budget?: number | 'auto';
  /** Frames per second; default the file's. */
  fps?: number;
  /** Wall clock in ms (tests); default performance.now. */
  now?: Now;
  /** Display-frame callback (tests, benchmarks); default requestAnimationFrame. */
  requestFrame?: (cb: () => void) => number;
  cancelFrame?: (id: number) => void;
}

/** Detail of the `frame` event, fired as each frame goes on the canvas (like requestVideoFrameCallback). */
export interface PresentedFrame {
  frame: number;
  detail: Detail;
  /** The clock's media time (seconds) when it was put on the canvas. */
  mediaTime: number;
}

/** Detail of `progress`: a segment arrived. */
export interface SegmentProgress {
  segment: number;
  frameStart: number;
  frameCount: number;
}

/** The player's events, as HTMLMediaElement's where they share a name, plus `frame`. */
export interface VideoPlayerEventMap {
  loadedmetadata: Event;
  loadeddata: Event;
  canplay: Event;
  play: Event;
  playing: Event;
  pause: Event;
  waiting: Event;
  seeking: Event;
  seeked: Event;
  ended: Event;
  timeupdate: CustomEvent<{ currentTime: number; frame: number }>;
  progress: CustomEvent<SegmentProgress>;
  frame: CustomEvent<PresentedFrame>;
  /** Once: playback stops here. */
  error: CustomEvent<{ error: unknown }>;
}
