/**
 * Yields what `source` yields, while `source` already produces the next items: the producer's I/O
 * overlaps whatever the consumer does with the current one. Holds at most `depth` items ahead.
 */
export function readAhead<T>(source: AsyncIterable<T>, depth = 1): AsyncGenerator<T> {
  return mapAhead(source, (item) => Promise.resolve(item), depth);
}

/**
 * Yields `transform(item)` for each item of `source`, in the source's order, with up to `depth`
 * items taken from the source and transformed ahead of the consumer. Items are taken one at a
 * time, so the source's own steps stay sequential; only the transforms overlap each other and it.
 */
export async function* mapAhead<T, R>(
  source: AsyncIterable<T>,
  transform: (item: T) => Promise<R>,
  depth: number,
): AsyncGenerator<R> {
  const iterator = source[Symbol.asyncIterator]();
  const ahead: Promise<IteratorResult<R>>[] = [];
  let ended = false;
  const take = async (): Promise<IteratorResult<R>> => {
    const next = await iterator.next();
    if (next.done) {
      ended = true;
      return { done: true, value: undefined };
    }
    return { done: false, value: await transform(next.value) };
  };
  const fill = () => {
    while (!ended && ahead.length < depth) {
      const item = take();
      // Awaited in turn; this only keeps an abandoned item from becoming an unhandled rejection.
      item.catch(() => undefined);
      ahead.push(item);
    }
  };
  try {
    for (;;) {
      fill();
      const next = ahead.shift();
      if (!next) return;
      const { done, value } = await next;
      if (done) return;
      fill();
      yield value;
    }
  } finally {
    // Closes the source once what is in flight settles, so nothing runs on after the consumer left.
    await Promise.allSettled(ahead);
    await iterator.return?.(undefined);
  }
}
