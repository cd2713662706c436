/**
 * Freed Float32Arrays kept for reuse under a byte budget (the oldest dropped first). A CPU
 * decode's large arrays (a tile's output, a level's activations) recur at the same or similar
 * lengths tile after tile and frame after frame; a fresh one costs a page fault per 4 KiB as it
 * is first written, which on some machines is a third of a decode (docs/ENGINE.md, "Reused
 * buffers"). An array handed back must not be used by its giver again: a later `take` may hand
 * out its buffer, with its old contents (takers overwrite every element they read).
 */
export class FloatPool {
  /** Whole buffers, oldest first. */
  private readonly free: Float32Array[] = [];
  /** Buffers this pool made: a view of one may be handed back (a view of any other may not). */
  private readonly made = new WeakSet<ArrayBufferLike>();
  private held = 0;

  /** `maxEntries` bounds the search of each `take`. */
  constructor(
    readonly budgetBytes: number,
    readonly maxEntries = 64,
  ) {}

  get bytes(): number {
    return this.held;
  }

  /**
   * An array of `length` floats: a view of the smallest freed buffer that holds it without
   * wasting more than half, else a new (zeroed) one.
   */
  take(length: number): Float32Array {
    let best = -1;
    for (let i = 0; i < this.free.length; i++) {
      const n = this.free[i]!.length;
      if (n >= length && n <= 2 * length && (best < 0 || n < this.free[best]!.length)) best = i;
    }
    if (best < 0) {
      const fresh = new Float32Array(length);
      this.made.add(fresh.buffer);
      return fresh;
    }
    const [whole] = this.free.splice(best, 1) as [Float32Array];
    this.held -= whole.byteLength;
    return whole.length === length ? whole : whole.subarray(0, length);
  }

  /**
   * Keeps `array`'s buffer for a later `take`: one this pool made, or an array that is its whole
   * buffer (never a view into a larger one someone else owns, such as a module's memory).
   */
  give(array: Float32Array): void {
    const { buffer } = array;
    const whole = this.made.has(buffer) || (array.byteOffset === 0 && array.byteLength === buffer.byteLength);
    if (!whole || buffer.byteLength > this.budgetBytes || this.free.some((f) => f.buffer === buffer)) return;
    while (this.free.length > 0 && (this.held + buffer.byteLength > this.budgetBytes || this.free.length >= this.maxEntries)) {
      this.held -= this.free.shift()!.byteLength;
    }
    this.free.push(new Float32Array(buffer));
    this.held += buffer.byteLength;
  }

  clear(): void {
    this.free.length = 0;
    this.held = 0;
  }
}
