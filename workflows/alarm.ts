import { CancellationScope, condition, isCancellation, sleep } from '@temporalio/workflow';

/**
 * The one durable timer of a suggestion. It is set for the next deadline the suggestion watches,
 * set again only when an earlier one comes up or it rings, and left set when the thing it was
 * set for is done early (a timer is a billable action: docs/BENCHMARKS.md, cost of a lifecycle):
 * ringing for something already done costs nothing but a look at what is due next.
 */
export class Alarm {
  private ringsAt?: number;
  private scope?: CancellationScope;
  private rang = false;

  /** Waits until `changed()` or the instant `at` (if it is ahead), whichever comes first. */
  async wait(changed: () => boolean, at: number | undefined, what: string): Promise<void> {
    this.rang = false;
    const now = Date.now();
    if (at !== undefined && at > now && !(this.ringsAt !== undefined && this.ringsAt > now && this.ringsAt <= at)) this.set(at, what);
    await condition(() => changed() || this.rang);
  }

  private set(at: number, what: string): void {
    this.scope?.cancel();
    const scope = new CancellationScope();
    this.scope = scope;
    this.ringsAt = at;
    scope
      .run(() => sleep(at - Date.now(), { summary: what }))
      .then(
        () => {
          if (this.scope !== scope) return;
          this.rang = true;
          this.ringsAt = undefined;
          this.scope = undefined;
        },
        (err) => {
          if (!isCancellation(err)) throw err;
        },
      );
  }
}
