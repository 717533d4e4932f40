/**
 * Yields what `source` yields, while `source` already produces the next item: the producer's I/O
 * overlaps whatever the consumer does with the current one. Holds at most one item ahead.
 */
export async function* readAhead<T>(source: AsyncIterable<T>): AsyncGenerator<T> {
  const iterator = source[Symbol.asyncIterator]();
  let next = iterator.next();
  try {
    for (;;) {
      const { done, value } = await next;
      if (done) return;
      next = iterator.next();
      // Awaited on the next turn; this only keeps an abandoned read from becoming an unhandled rejection.
      next.catch(() => undefined);
      yield value;
    }
  } finally {
    // Closes the source once its read in flight settles, so nothing runs on after the consumer left.
    await next.catch(() => undefined);
    await iterator.return?.(undefined);
  }
}
