/**
 * Runs tasks one at a time in arrival order. PGlite is a single connection: a second
 * statement sent while a transaction is open would land inside that transaction.
 */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(task, task);
    // The chain continues whether this task succeeds or fails.
    this.tail = result.catch(() => undefined);
    return result;
  }
}
