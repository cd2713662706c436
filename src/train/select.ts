/**
 * The teacher's choice: the k samples with the largest residual. A quickselect for the k-th
 * largest value, then one pass to collect, so a selection is O(N) rather than a sort; the
 * result is sorted by sample index so the training pass walks memory in order. Ties at the
 * threshold are taken in index order, which keeps runs reproducible.
 */
export function topK(residual: Float32Array, k: number): Int32Array {
  const n = residual.length;
  if (k >= n) return Int32Array.from({ length: n }, (_, i) => i);
  const threshold = kthLargest(Float32Array.from(residual), k);
  const out = new Int32Array(k);
  let m = 0;
  for (let i = 0; i < n && m < k; i++) if (residual[i]! > threshold) out[m++] = i;
  for (let i = 0; i < n && m < k; i++) if (residual[i] === threshold) out[m++] = i;
  return out.sort();
}

/** The k-th largest value (1-based) of `a`; reorders `a`. */
function kthLargest(a: Float32Array, k: number): number {
  let lo = 0;
  let hi = a.length - 1;
  const target = k - 1;
  while (lo < hi) {
    const pivot = a[(lo + hi) >> 1]!;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i]! > pivot) i++;
      while (a[j]! < pivot) j--;
      if (i <= j) {
        const t = a[i]!;
        a[i++] = a[j]!;
        a[j--] = t;
      }
    }
    if (target <= j) hi = j;
    else if (target >= i) lo = i;
    else return a[target]!;
  }
  return a[target]!;
}
