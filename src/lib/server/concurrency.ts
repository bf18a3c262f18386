/**
 * At most `max` of the wrapped tasks run at once; the rest wait in order. Used to bound heavy engine work started
 * by pages (full scans such as version diffs), so that one page cannot take every engine thread while a small,
 * unrelated page waits behind it (issue 8 finding 7).
 */
export interface Limiter {
  run<T>(work: () => Promise<T>): Promise<T>;
  /** Tasks running and waiting, for tests and health output. */
  readonly active: number;
  readonly waiting: number;
}

export function createLimiter(max: number): Limiter {
  let active = 0;
  const queue: (() => void)[] = [];
  const release = () => {
    const next = queue.shift();
    if (next) next();
    else active--;
  };
  return {
    async run<T>(work: () => Promise<T>): Promise<T> {
      if (active < max) active++;
      else await new Promise<void>((resolve) => queue.push(resolve));
      try {
        return await work();
      } finally {
        release();
      }
    },
    get active() {
      return active;
    },
    get waiting() {
      return queue.length;
    },
  };
}

/** Full scans started by a page view (version diffs). The server's DuckDB has two threads: one scan at a time. */
export const pageScans = createLimiter(1);
