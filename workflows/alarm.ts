import { condition } from '@temporalio/workflow';

// After the decision a suggestion waits on several deadlines at once: the proposer's rating
// window, each milestone's due date, the follow-up answer. Every durable timer is a billable
// action (docs/BENCHMARKS.md, cost of a lifecycle), so one alarm serves them all: it is set for
// the earliest deadline still awaited, set again only when it rings or an earlier deadline comes
// up, and a wait that ends early (the proposer rates, the milestone is done) leaves it set for
// the others instead of moving it.

interface Wait {
  done: () => boolean;
  at: number;
  what: string;
}

export class Alarm {
  private readonly waits = new Set<Wait>();
  private set = false;

  /** Waits until `done()` holds or the instant `at` comes, whichever is first; true when done. */
  async until(done: () => boolean, at: number, what: string): Promise<boolean> {
    if (done()) return true;
    const wait: Wait = { done, at, what };
    this.waits.add(wait);
    if (!this.set) void this.ring();
    try {
      await condition(() => done() || Date.now() >= at);
      return done();
    } finally {
      this.waits.delete(wait);
    }
  }

  /** The earliest deadline still awaited and still ahead. */
  private earliest(): Wait | undefined {
    let first: Wait | undefined;
    for (const wait of this.waits) {
      if (wait.at > Date.now() && !wait.done() && (!first || wait.at < first.at)) first = wait;
    }
    return first;
  }

  private async ring(): Promise<void> {
    this.set = true;
    for (let next = this.earliest(); next; next = this.earliest()) {
      const setFor = next.at;
      // Rings at the deadline, or is set again at once for an earlier one; none left, it is cleared.
      await condition(() => (this.earliest()?.at ?? -Infinity) < setFor, setFor - Date.now(), { summary: next.what });
    }
    this.set = false;
  }
}

/** Suggestions started before the lean lifecycle (one alarm, registration in the first workflow task, the follow-up request queued for its day) replay as recorded. */
export const leanLifecyclePatch = 'lean-lifecycle';

/**
 * Waits until `done()` holds or the instant `at` comes; true when done. A suggestion on the lean
 * lifecycle shares its alarm; one started before keeps a timer for each wait, as recorded.
 */
export function doneBy(suggestion: { lean: boolean; alarm: Alarm }, done: () => boolean, at: number, what: string): Promise<boolean> {
  return suggestion.lean ? suggestion.alarm.until(done, at, what) : condition(done, Math.max(1, at - Date.now()));
}
