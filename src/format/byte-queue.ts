/**
 * FIFO of pushed chunks. Holds references (no copy on push) and copies out exactly the
 * bytes asked for, so a reader never holds more than the piece it is waiting to complete.
 */
export class ByteQueue {
  private chunks: Uint8Array[] = [];
  /** Index of the first live chunk; consumed ones are dropped in batches. */
  private first = 0;
  /** Bytes of chunks[first] already consumed. */
  private head = 0;
  private size = 0;

  get length(): number {
    return this.size;
  }

  push(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    this.chunks.push(chunk);
    this.size += chunk.length;
  }

  /** Copies up to `n` bytes from the front without consuming them. */
  peek(n: number): Uint8Array {
    return this.copy(Math.min(n, this.size), false);
  }

  /** Removes `n` bytes (n <= length) and returns them in a new buffer of their own. */
  take(n: number): Uint8Array {
    return this.copy(n, true);
  }

  /** Removes `n` bytes (n <= length) into `out` at `at`. */
  takeInto(out: Uint8Array, at: number, n: number): void {
    this.copy(n, true, out.subarray(at, at + n));
  }

  private copy(n: number, consume: boolean, out: Uint8Array = new Uint8Array(n)): Uint8Array {
    let written = 0;
    let index = this.first;
    let head = this.head;
    while (written < n) {
      const chunk = this.chunks[index]!;
      const count = Math.min(chunk.length - head, n - written);
      out.set(chunk.subarray(head, head + count), written);
      written += count;
      head += count;
      if (head === chunk.length) {
        index++;
        head = 0;
      }
    }
    if (consume) {
      this.size -= n;
      this.first = index;
      this.head = head;
      if (this.first > 64 || this.first === this.chunks.length) {
        this.chunks = this.chunks.slice(this.first);
        this.first = 0;
      }
    }
    return out;
  }
}
