/** Small helpers for the datathon pages and forms (no I/O). */

const WIB_OFFSET_MS = 7 * 3_600_000;

/** Epoch ms as a `datetime-local` value in WIB (UTC+7, the deployment's time zone; no daylight saving). */
export function toWibInput(ms: number): string {
  return new Date(ms + WIB_OFFSET_MS).toISOString().slice(0, 16);
}

/** A `datetime-local` value read as WIB, in epoch ms. */
export function fromWibInput(value: string): number {
  return Date.parse(`${value}:00+07:00`);
}

/** `?page=` as a non-negative integer. */
export function pageNumber(value: string | null): number {
  const n = Number(value ?? 0);
  return Number.isInteger(n) && n >= 0 && n < 10_000 ? n : 0;
}
