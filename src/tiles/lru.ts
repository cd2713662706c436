/**
 * A least-recently-used map under a byte budget. Values are handed to `evict` when they fall
 * out (or are deleted or cleared), so GPU tensors are freed exactly once, by their owner here.
 */
export class ByteLru<V> {
  private readonly entries = new Map<string, { value: V; bytes: number }>();
  private used = 0;

  constructor(
    readonly budgetBytes: number,
    private readonly evict: (value: V) => void,
  ) {}

  get bytes(): number {
    return this.used;
  }

  get size(): number {
    return this.entries.size;
  }

  /** The value under `key`, now the most recently used; undefined if absent. */
  get(key: string): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.value;
  }

  has(key: string): boolean {
    return this.entries.has(key);
  }

  /**
   * Stores `value` as the most recently used, evicting the least recently used entries until it
   * fits. Returns false, storing nothing, when `bytes` alone exceeds the budget: the caller keeps
   * ownership then.
   */
  put(key: string, value: V, bytes: number): boolean {
    if (bytes > this.budgetBytes) return false;
    this.delete(key);
    for (const [oldKey, old] of this.entries) {
      if (this.used + bytes <= this.budgetBytes) break;
      this.entries.delete(oldKey);
      this.used -= old.bytes;
      this.evict(old.value);
    }
    this.entries.set(key, { value, bytes });
    this.used += bytes;
    return true;
  }

  delete(key: string): boolean {
    const entry = this.entries.get(key);
    if (!entry) return false;
    this.entries.delete(key);
    this.used -= entry.bytes;
    this.evict(entry.value);
    return true;
  }

  /** Deletes (and evicts) every entry whose key passes `test`. */
  deleteWhere(test: (key: string) => boolean): void {
    for (const key of [...this.entries.keys()]) if (test(key)) this.delete(key);
  }

  clear(): void {
    this.deleteWhere(() => true);
  }
}
