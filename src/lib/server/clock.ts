/**
 * The one clock the auth domain reads. Tests move it with `setClock`, so expiry and renewal can be
 * checked without waiting; production never calls `setClock`.
 */
let override: (() => number) | undefined;

/** Milliseconds since the epoch. */
export function now(): number {
  return override ? override() : Date.now();
}

export function setClock(clock: (() => number) | undefined): void {
  override = clock;
}
