/**
 * The player's states and the transitions allowed between them, in one place. A held state's
 * clock is stopped until the frame due is on the canvas; `paused` (as HTMLMediaElement's) is
 * true in every state but the three that want to play.
 */
export type PlayerState =
  /** Paused, the clock held until the frame due is shown (before the first frame, after a seek). */
  | 'priming'
  /** Paused with the frame due shown (or past it). */
  | 'paused'
  /** Play wanted, the clock held until the frame due is shown (first frame, a seek, a pause). */
  | 'starting'
  /** The clock runs. */
  | 'playing'
  /** Play wanted, the clock held: the frame due is in a segment that has not arrived (`waiting` fired). */
  | 'waiting'
  /** The clock reached the end without `loop`. */
  | 'ended'
  /** Playback stopped for good on an error (`error` fired once). */
  | 'failed'
  /** close() was called: nothing runs any more. */
  | 'closed';

const TRANSITIONS: Record<PlayerState, readonly PlayerState[]> = {
  priming: ['priming', 'paused', 'starting', 'failed', 'closed'],
  paused: ['priming', 'starting', 'playing', 'failed', 'closed'],
  starting: ['starting', 'priming', 'playing', 'waiting', 'failed', 'closed'],
  playing: ['starting', 'paused', 'waiting', 'ended', 'failed', 'closed'],
  waiting: ['starting', 'priming', 'playing', 'failed', 'closed'],
  ended: ['priming', 'failed', 'closed'],
  failed: ['closed'],
  closed: [],
};

/** States whose clock waits for the frame due. */
export const HELD: ReadonlySet<PlayerState> = new Set(['priming', 'starting', 'waiting']);
/** States that want to play (`paused` is false). */
export const WANTS_PLAY: ReadonlySet<PlayerState> = new Set(['starting', 'playing', 'waiting']);

/** `next` if `from` may go there; a transition not in the table is a bug in the player. */
export function transition(from: PlayerState, next: PlayerState): PlayerState {
  if (!TRANSITIONS[from].includes(next)) throw new Error(`video player: no transition from ${from} to ${next}`);
  return next;
}
