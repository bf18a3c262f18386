import type { ImportProblem } from '../community/export-read.ts';
import type { Problem } from './results.ts';

/**
 * One reason an imported file is refused, kept as data so the page can say it in the reader's language
 * (`src/lib/badami/import-text.ts`): where (the spreadsheet line, the header being line 1, and the column's key),
 * and what — a problem reading the file (`read`), a field the domain refused (`problem`, with the form whose labels
 * name it), or an import rule (`code`, message `badami.import.<code>`) — with what was expected and what was found.
 */
export interface ImportIssue {
  line?: number;
  column?: string;
  code?: string;
  read?: ImportProblem;
  problem?: Problem;
  form?: string;
  found?: string;
  params?: Record<string, string | number>;
  /** The expected value in both languages (a read-only column). */
  expected?: { id: string; en: string };
  /** The expected choices, as message keys the reader's language names. */
  expectedKeys?: string[];
}

export type ImportOutcome =
  | { ok: true; added: number; changed: number; unchanged: number }
  | { ok: false; code: 'import_rejected' | 'forbidden'; issues: ImportIssue[] };

/** Thrown inside the import's transaction to roll every row back; importFile turns it into its outcome. */
export class ImportRejected extends Error {
  readonly issues: ImportIssue[];
  constructor(issues: ImportIssue[]) {
    super('import_rejected');
    this.issues = issues;
  }
}
