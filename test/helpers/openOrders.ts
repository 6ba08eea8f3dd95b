/** Pages through a book's `openOrders` view and returns every id (one block's snapshot). */
interface PagedBook {
  openOrders(owner: string, sub: bigint | number, cursor: bigint, limit: bigint, overrides?: { blockTag?: bigint | number | string }): Promise<[bigint[], bigint] & { orderIds: bigint[]; nextCursor: bigint }>;
}

/**
 * Every live order id of `owner`'s sub-account on `market`, in the view's scan order (bids from the
 * best down, then asks from the best up), read page by page at one block.
 */
export async function allOpenOrders(market: unknown, owner: string, sub: bigint | number = 0n, limit = 0n): Promise<bigint[]> {
  const m = market as PagedBook & { runner?: { provider?: { getBlockNumber(): Promise<number> } } };
  const blockTag = await m.runner?.provider?.getBlockNumber();
  const out: bigint[] = [];
  let cursor = 0n;
  for (let page = 0; page < 10_000; page++) {
    const [ids, next] = await m.openOrders(owner, sub, cursor, limit, blockTag === undefined ? {} : { blockTag });
    out.push(...ids);
    if (next === 0n) return out;
    cursor = next;
  }
  throw new Error("allOpenOrders: too many pages");
}
