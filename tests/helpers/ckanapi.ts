/**
 * ckanapi 4.11's RemoteCKAN, request for request (ckanapi/remoteckan.py and ckanapi/common.py, read from
 * github.com/ckan/ckanapi): Debian has no python3-ckanapi and PyPI is out of reach here, so the tests replay the
 * exact HTTP calls it makes and decode answers as it does.
 * - URL `<address>/api/action/<name>` (RemoteCKAN.base_url), never /api/3/action/.
 * - POST (default): body `json.dumps(data_dict).encode('ascii')` — Python's separators `", "`/`": "` and \uXXXX
 *   escapes — with `Content-Type: application/json`, no redirects followed.
 * - get_only: GET with `params=data_dict` as `requests` encodes it (a list repeats the key, other values are
 *   str()'d, so True is "True"); the Content-Type header is sent anyway.
 * - Headers `requests` adds: User-Agent (ckanapi's own), Accept-Encoding: gzip, deflate, Accept: *\/*.
 * - reverse_apicontroller_action: `success` → `result`; otherwise `error.__type` picks the exception, and the
 *   message keeps what follows the first ": ".
 */
export class CkanApiError extends Error {
  readonly kind: 'NotFound' | 'ValidationError' | 'NotAuthorized' | 'SearchQueryError' | 'CKANAPIError';
  readonly error: Record<string, unknown>;
  constructor(kind: CkanApiError['kind'], error: Record<string, unknown>, message: string) {
    super(message);
    this.kind = kind;
    this.error = error;
  }
}

const USER_AGENT = 'ckanapi/4.11 (+https://github.com/ckan/ckanapi)';

export class RemoteCkan {
  readonly address: string;
  readonly getOnly: boolean;
  constructor(address: string, options: { getOnly?: boolean } = {}) {
    this.address = address;
    this.getOnly = options.getOnly ?? false;
  }

  async callAction(action: string, dataDict: Record<string, unknown> = {}): Promise<any> {
    const url = `${this.address.replace(/\/+$/, '')}/api/action/${action}`;
    const headers = { 'Content-Type': 'application/json', 'User-Agent': USER_AGENT, 'Accept-Encoding': 'gzip, deflate', Accept: '*/*' };
    const response = this.getOnly
      ? await fetch(`${url}${querySuffix(dataDict)}`, { headers })
      : await fetch(url, { method: 'POST', headers, body: pythonJsonDumps(dataDict), redirect: 'manual' });
    return reverseApicontrollerAction(await response.text());
  }
}

/** `json.dumps(value)` with Python's defaults (ensure_ascii, ", " and ": "). */
export function pythonJsonDumps(value: unknown): string {
  const dump = (v: unknown): string => {
    if (Array.isArray(v)) return `[${v.map(dump).join(', ')}]`;
    if (v !== null && typeof v === 'object') return `{${Object.entries(v).map(([k, x]) => `${dump(k)}: ${dump(x)}`).join(', ')}}`;
    return JSON.stringify(v).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  };
  return dump(value);
}

/** `requests`' encoding of `params=`: lists repeat the key; scalars are str()'d (Python's True/False/None). */
function querySuffix(dataDict: Record<string, unknown>): string {
  const search = new URLSearchParams();
  const str = (v: unknown) => (v === true ? 'True' : v === false ? 'False' : String(v));
  for (const [key, value] of Object.entries(dataDict)) {
    if (value === null || value === undefined) continue;
    for (const one of Array.isArray(value) ? value : [value]) search.append(key, str(one));
  }
  return search.size > 0 ? `?${search}` : '';
}

function reverseApicontrollerAction(text: string): any {
  let parsed: any;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new CkanApiError('CKANAPIError', {}, text);
  }
  if (parsed?.success) return parsed.result;
  const error = (parsed?.error ?? {}) as Record<string, unknown>;
  const message = String(error.message ?? '').split(': ').slice(1).join(': ') || String(error.message ?? '');
  const kind = ({ 'Not Found Error': 'NotFound', 'Validation Error': 'ValidationError', 'Authorization Error': 'NotAuthorized', 'Search Query Error': 'SearchQueryError' } as const)[String(error.__type)] ?? 'CKANAPIError';
  throw new CkanApiError(kind, error, message);
}
