/**
 * A counting semaphore: at most `limit` tasks run at once, the others wait
 * their turn in the order they came.
 *
 * @module
 */

export class Semaphore {
  #free: number;
  readonly #waiting: (() => void)[] = [];

  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) {
      throw new RangeError(`semaphore limit ${limit} is not a positive integer`);
    }
    this.#free = limit;
  }

  /** Tasks waiting for their turn now. */
  get waiting(): number {
    return this.#waiting.length;
  }

  /** Runs `task` once fewer than `limit` others run; settles as it does. */
  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.#free > 0) this.#free--;
    else await new Promise<void>((resolve) => this.#waiting.push(resolve));
    try {
      return await task();
    } finally {
      // The turn passes straight to the next in line, or is given back.
      const next = this.#waiting.shift();
      if (next) next();
      else this.#free++;
    }
  }
}
