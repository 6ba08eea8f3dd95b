// Cuts a failing action sequence down for the randomized suites: drop what follows the failure,
// then chunks (halving in size) whose removal keeps it failing, within a time budget.

/** What replaying a sequence gives: the first failure and where, or failedAt −1. */
export interface Replay {
  error?: Error;
  failedAt: number;
}

export async function minimise<A>(
  actions: A[],
  run: (actions: A[]) => Promise<Replay>,
  budgetMs: number,
): Promise<{ actions: A[]; error: Error }> {
  const deadline = Date.now() + budgetMs;
  const first = await run(actions);
  if (!first.error) throw new Error("failure did not replay");
  let best = actions.slice(0, first.failedAt + 1);
  let error = first.error;
  for (let chunk = Math.ceil(best.length / 2); chunk >= 1 && Date.now() < deadline; chunk = Math.floor(chunk / 2)) {
    for (let i = 0; i < best.length && Date.now() < deadline; ) {
      const candidate = [...best.slice(0, i), ...best.slice(i + chunk)];
      const o: Replay = candidate.length ? await run(candidate) : { failedAt: -1 };
      if (o.error) {
        best = candidate.slice(0, o.failedAt + 1);
        error = o.error;
      } else i += chunk;
    }
  }
  return { actions: best, error };
}
