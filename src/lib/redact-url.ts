/**
 * Secrets out of logged URLs: every request line logs its URL, and clients put keys in query strings (n8n-style
 * `?X-N8N-API-KEY=`), webhooks carry `?token=`, and OAuth callbacks `#access_token=`.
 */
export const REDACTED = '[REDACTED]';

/**
 * Query and fragment parameters whose values are secrets, by name once decoded, lower-cased and stripped of
 * everything but letters and digits: X-N8N-API-KEY, x_n8n_api_key and X%2DN8N%2DAPI%2DKEY are one name.
 */
const SECRET_PARAMS = new Set([
  'xn8napikey',
  'apikey',
  'key',
  'token',
  'accesstoken',
  'refreshtoken',
  'idtoken',
  'auth',
  'authorization',
  'bearer',
  'jwt',
  'password',
  'passwd',
  'pwd',
  'pass',
  'secret',
  'clientsecret',
  'signature',
  'sig',
  'code',
  'session',
  'sessionid',
  'sid',
  'credential',
  'credentials',
  'otp',
]);
/** …and names ending like these: webhook_token, github_secret, X-Amz-Signature, user[password], PHPSESSID. */
const SECRET_PARAM_SUFFIXES = ['key', 'token', 'secret', 'password', 'passwd', 'signature', 'credential', 'sessionid', 'sessid'];

/**
 * Credentials recognised by their look wherever they are (path, parameter name or value): n8n API keys (also
 * with an encoded underscore; 40 characters follow the prefix, 16 are enough to tell a key, even a cut one, from a
 * name such as `n8n_api_key`) and JWTs. Long hex or base64 strings are not: ids, cursors and hashes look the same,
 * and the log needs those.
 */
const CREDENTIAL = /n8n(?:_|%5[fF])api(?:_|%5[fF])[0-9A-Za-z]{16,}|eyJ[\w-]{4,}\.[\w-]{4,}\.[\w-]*/g;
/** The userinfo of an absolute URL (`https://user:password@host`), which clients may put in a request line. */
const USERINFO = /^([a-z][a-z\d+.-]*:\/\/)[^/?#]*@/i;
/** What a part of a URL needs to hold a credential (plain `includes`: several times cheaper than a regex test). */
const mayHoldCredential = (part: string) => part.includes('n8n') || part.includes('eyJ') || part.includes('%');
/** Every secret above needs one of these: most request URLs have none and are logged as they are. */
const mayHoldSecret = (text: string) => text.includes('?') || text.includes('#') || text.includes('@') || mayHoldCredential(text);
/**
 * Candidate URLs in free text (log messages, error messages): runs of non-space with a query or fragment. Brackets
 * and parentheses are part of the run (`user[password]=x` must stay whole), so a closing one may be censored along.
 */
const URL_IN_TEXT = /[^\s"'`<>]*[?#][^\s"'`<>]*/g;

/** Percent-decoding that never throws (a malformed escape stays as it is), repeated for double encoding. */
function percentDecode(text: string): string {
  let decoded = text;
  for (let round = 0; round < 3 && decoded.includes('%'); round++) {
    const next = decoded.replace(/%([0-9a-f]{2})/gi, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
    if (next === decoded) break;
    decoded = next;
  }
  return decoded;
}

function isSecretParam(rawName: string): boolean {
  const name = percentDecode(rawName)
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
  return SECRET_PARAMS.has(name) || SECRET_PARAM_SUFFIXES.some((suffix) => name.endsWith(suffix));
}

/** A path segment, parameter name or value with any credential in it censored (all of it when it hides encoded). */
function redactPart(part: string): string {
  if (!mayHoldCredential(part)) return part;
  const plain = part.replace(CREDENTIAL, REDACTED);
  if (plain.includes('%') && percentDecode(plain).search(CREDENTIAL) !== -1) return REDACTED;
  return plain;
}

function redactParam(pair: string): string {
  const eq = pair.indexOf('=');
  if (eq === -1) return redactPart(pair);
  const name = pair.slice(0, eq);
  const value = pair.slice(eq + 1);
  // An empty value hides nothing, and seeing `token=` in a log is useful.
  if (value && isSecretParam(name)) return `${redactPart(name)}=${REDACTED}`;
  return `${redactPart(name)}=${redactPart(value)}`;
}

/**
 * `a=1&token=x;b=2`: `;` counts as a separator too, since some servers (and clients) treat it as one. A scan
 * rather than a regex replace with a callback, which costs several times more on this hot path.
 */
function redactParams(params: string): string {
  let redacted = '';
  let start = 0;
  for (let i = 0; i <= params.length; i++) {
    const char = params[i];
    if (char !== undefined && char !== '&' && char !== ';') continue;
    if (i > start) redacted += redactParam(params.slice(start, i));
    if (char !== undefined) redacted += char;
    start = i + 1;
  }
  return redacted;
}

function redactPath(path: string): string {
  const withoutUserinfo = path.includes('@') ? path.replace(USERINFO, `$1${REDACTED}@`) : path;
  return withoutUserinfo.includes('%')
    ? withoutUserinfo.split('/').map(redactPart).join('/')
    : withoutUserinfo.replace(CREDENTIAL, REDACTED);
}

/**
 * A URL (or request target, `/path?query#fragment`) safe to log: the values of secret-looking query and fragment
 * parameters become [REDACTED] (names kept), as do n8n API keys and JWTs anywhere and the userinfo of an absolute
 * URL. Runs on every request log line, so a URL with nothing to hide costs a few `includes`.
 */
export function redactUrl(url: string): string {
  if (!mayHoldSecret(url)) return url;
  const hashAt = url.indexOf('#');
  const beforeHash = hashAt === -1 ? url : url.slice(0, hashAt);
  const queryAt = beforeHash.indexOf('?');
  let redacted = redactPath(queryAt === -1 ? beforeHash : beforeHash.slice(0, queryAt));
  if (queryAt !== -1) redacted += `?${redactParams(beforeHash.slice(queryAt + 1))}`;
  // Clients do not send fragments, but a pasted OAuth callback (`#access_token=...`) would carry one.
  if (hashAt !== -1) redacted += `#${redactParams(url.slice(hashAt + 1))}`;
  return redacted;
}

/** Free text (a log or error message) with every URL in it passed through redactUrl, and any credential censored. */
export function redactUrlsInText(text: string): string {
  if (!mayHoldSecret(text)) return text;
  // URLs first: a [REDACTED] put in by the second pass would otherwise cut a URL short for the first.
  return text.replace(URL_IN_TEXT, (url) => redactUrl(url)).replace(CREDENTIAL, REDACTED);
}
