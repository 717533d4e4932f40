/**
 * A Map that also pages in insertion order. The order array is kept while resources are only added
 * and rebuilt once on the next page read after a delete, so paging costs O(page), not O(n), per request.
 */
export class PagedMap<V> {
  private readonly items = new Map<string, V>();
  private order: string[] | undefined = [];

  get size(): number {
    return this.items.size;
  }

  get(id: string): V | undefined {
    return this.items.get(id);
  }

  set(id: string, value: V): void {
    if (!this.items.has(id)) this.order?.push(id);
    this.items.set(id, value);
  }

  delete(id: string): boolean {
    const deleted = this.items.delete(id);
    if (deleted) this.order = undefined;
    return deleted;
  }

  /** `offset` counts from 0. */
  page(offset: number, count: number): V[] {
    this.order ??= [...this.items.keys()];
    return this.order.slice(offset, offset + count).map((id) => this.items.get(id)!);
  }

  values(): IterableIterator<V> {
    return this.items.values();
  }

  clear(): void {
    this.items.clear();
    this.order = [];
  }
}
