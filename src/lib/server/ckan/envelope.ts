/**
 * CKAN's response envelope (ckan/views/api.py): `{help, success, result}` on success and
 * `{help, success: false, error: {__type, message, …}}` on failure, with the status codes CKAN uses, so
 * ckanapi and harvesters see the errors they already handle.
 */
export type CkanErrorType =
  | 'Not Found Error'
  | 'Validation Error'
  | 'Authorization Error'
  | 'Bad request'
  | 'Internal Server Error'
  // Not CKAN's own (CKAN has no body cap or rate limit of its own); clients treat unknown types as a generic error.
  | 'Request Too Large'
  | 'Rate Limit Error';

const STATUS: Record<CkanErrorType, number> = {
  'Not Found Error': 404,
  'Validation Error': 409,
  'Authorization Error': 403,
  'Bad request': 400,
  'Internal Server Error': 500,
  'Request Too Large': 413,
  'Rate Limit Error': 429,
};

export class CkanError extends Error {
  readonly type: CkanErrorType;
  /** CKAN validation errors also name the offending fields: `{"rows": ["Invalid integer"]}`. */
  readonly fields: Record<string, string[]>;
  constructor(type: CkanErrorType, message: string, fields: Record<string, string[]> = {}) {
    super(message);
    this.type = type;
    this.fields = fields;
  }
  get status(): number {
    return STATUS[this.type];
  }
}

export const notFound = (what: string) => new CkanError('Not Found Error', `Not found: ${what}`);
export const invalid = (field: string, message: string) => new CkanError('Validation Error', `${field}: ${message}`, { [field]: [message] });

export function helpUrl(base: string, action: string): string {
  return `${base}/api/3/action/help_show?name=${encodeURIComponent(action)}`;
}

const HEADERS = {
  'content-type': 'application/json;charset=utf-8',
  // Public, cookie-independent data: any web page may read it (no credentials are ever honoured here).
  'access-control-allow-origin': '*',
  'cache-control': 'no-cache',
};

export function successResponse(base: string, action: string, result: unknown): Response {
  return new Response(JSON.stringify({ help: helpUrl(base, action), success: true, result }), { status: 200, headers: HEADERS });
}

export function errorResponse(base: string, action: string, error: CkanError, headers: Record<string, string> = {}): Response {
  const body = { help: helpUrl(base, action), success: false, error: { __type: error.type, message: error.message, ...error.fields } };
  return new Response(JSON.stringify(body), { status: error.status, headers: { ...HEADERS, ...headers } });
}

/** `/api/3/action/<name>` and `/api/action/<name>` (what ckanapi calls): the action name, or null for other paths. */
export function ckanActionName(pathname: string): string | null {
  return /^\/api\/(?:3\/)?action\/([^/]+)$/.exec(pathname)?.[1] ?? null;
}
