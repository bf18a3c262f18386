import { decodeBase64urlIgnorePadding, encodeBase64urlNoPadding } from '@oslojs/encoding';

/**
 * Keyset paging: the cursor carries the sort value and the row number (the tie-breaker) of the last row sent,
 * so page N costs the same as page 1. It also records the sort it was made for; a cursor reused with another
 * sort is refused instead of silently skipping rows.
 */
export interface Cursor {
  /** Sort signature, e.g. "-jumlah" or "" for file order. */
  s: string;
  /** Sort value of the last row (JSON-safe), absent for file order. */
  v?: string | number | boolean | null;
  /** File row number of the last row. */
  r: number;
}

export function encodeCursor(cursor: Cursor): string {
  return encodeBase64urlNoPadding(new TextEncoder().encode(JSON.stringify(cursor)));
}

export function decodeCursor(token: string): Cursor | null {
  try {
    const value = JSON.parse(new TextDecoder().decode(decodeBase64urlIgnorePadding(token))) as Cursor;
    if (typeof value !== 'object' || value === null || typeof value.s !== 'string') return null;
    if (!Number.isSafeInteger(value.r) || value.r < 0) return null;
    if (value.v !== undefined && value.v !== null && !['string', 'number', 'boolean'].includes(typeof value.v)) return null;
    return value;
  } catch {
    return null;
  }
}
