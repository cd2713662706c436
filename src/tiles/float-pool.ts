/**
 * Freed Float32Arrays kept for reuse, by length, under a byte budget (the oldest dropped first).
 * A CPU decode's large arrays (a tile's output, a level's activations) recur at the same lengths
 * tile after tile and frame after frame; a fresh one costs a page fault per 4 KiB as it is first
 * written, which on some machines is a third of a decode (docs/ENGINE.md, "Reused buffers").
 * An array handed back must not be used by its giver again: the next `take` of its length may
 * hand it out, with its old contents (takers overwrite every element).
 */
export class FloatPool {
  private readonly free = new Map<number, Float32Array[]>();
  private readonly order: Float32Array[] = [];
  private held = 0;

  constructor(readonly budgetBytes: number) {}

  get bytes(): number {
    return this.held;
  }

  /** An array of `length` floats: a freed one if there is one, else a new (zeroed) one. */
  take(length: number): Float32Array {
    const array = this.free.get(length)?.pop();
    if (!array) return new Float32Array(length);
    this.order.splice(this.order.indexOf(array), 1);
    this.held -= array.byteLength;
    return array;
  }

  /** Keeps `array` for a later `take`, dropping the oldest kept ones to stay in the budget. */
  give(array: Float32Array): void {
    if (array.byteLength > this.budgetBytes || array.byteOffset !== 0 || array.byteLength !== array.buffer.byteLength || this.order.includes(array)) return;
    while (this.held + array.byteLength > this.budgetBytes) {
      const oldest = this.order.shift()!;
      const list = this.free.get(oldest.length)!;
      list.splice(list.indexOf(oldest), 1);
      if (list.length === 0) this.free.delete(oldest.length);
      this.held -= oldest.byteLength;
    }
    const list = this.free.get(array.length) ?? [];
    list.push(array);
    this.free.set(array.length, list);
    this.order.push(array);
    this.held += array.byteLength;
  }

  clear(): void {
    this.free.clear();
    this.order.length = 0;
    this.held = 0;
  }
}
