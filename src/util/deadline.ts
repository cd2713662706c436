/** `work`, unless `lost` rejects first, or `ms` pass first (then the error `late()` makes). */
export async function withDeadline<T>(work: Promise<T>, lost: Promise<never>, ms: number, late: () => Error): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(late()), ms);
  });
  try {
    return await Promise.race([work, lost, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
