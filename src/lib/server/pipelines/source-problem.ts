import { t } from '../../i18n/index.ts';
import { SourceError } from './extract.ts';

/**
 * A problem with a source file, kept as a message key and its parameters so it can be shown in the reader's
 * language (the CLI's, the run history page's); `message` is the English text, for logs and `record.error`.
 */
export interface Problem {
  code: string;
  params: Record<string, string | number>;
}

export class SourceProblemError extends SourceError {
  readonly problem: Problem;
  constructor(code: string, params: Problem['params'] = {}) {
    super(t('en', code, params));
    this.problem = { code, params };
  }
}

export function sourceProblem(code: string, params: Problem['params'] = {}): SourceProblemError {
  return new SourceProblemError(code, params);
}

/** "3, 17, 240 and 12 more": line numbers for a message, the first `shown` of `total`. */
export function lineList(lines: number[], total = lines.length, shown = 10): string {
  const list = lines.slice(0, shown).join(', ');
  return total > shown ? `${list} (+${total - shown})` : list;
}
