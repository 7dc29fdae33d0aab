import { describe, expect, it } from 'vitest';
import { REDACTED, redactUrl, redactUrlsInText } from './redact-url.ts';

const KEY = 'n8n_api_Xk3abcdefghijklmnopqrstuvwxyz0123456789';
const R = REDACTED;

describe('redactUrl', () => {
  it.each(['/api/v1/workflows', '/api/v1/workflows/abc123/versions/9', '/webhook/0f9c7e5a-3c1b-4f0e-9d55-8b1f1f0f2a11/orders/42', '/', ''])(
    'returns %j unchanged (no query, nothing that looks like a key)',
    (url) => {
      expect(redactUrl(url)).toBe(url);
    },
  );

  it.each([
    ['/api/v1/api-keys?X-N8N-API-KEY=secret', `/api/v1/api-keys?X-N8N-API-KEY=${R}`],
    ['/api/v1/api-keys?x-n8n-api-key=secret', `/api/v1/api-keys?x-n8n-api-key=${R}`],
    ['/x?x_n8n_api_key=secret', `/x?x_n8n_api_key=${R}`],
    ['/x?api_key=secret', `/x?api_key=${R}`],
    ['/x?apikey=secret', `/x?apikey=${R}`],
    ['/x?api-key=secret', `/x?api-key=${R}`],
    ['/x?apiKey=secret', `/x?apiKey=${R}`],
    ['/x?key=secret', `/x?key=${R}`],
    ['/x?token=secret', `/x?token=${R}`],
    ['/x?TOKEN=secret', `/x?TOKEN=${R}`],
    ['/x?access_token=secret', `/x?access_token=${R}`],
    ['/x?refresh_token=secret', `/x?refresh_token=${R}`],
    ['/x?id_token=secret', `/x?id_token=${R}`],
    ['/x?auth=secret', `/x?auth=${R}`],
    ['/x?Authorization=Bearer%20secret', `/x?Authorization=${R}`],
    ['/x?password=secret', `/x?password=${R}`],
    ['/x?passwd=secret', `/x?passwd=${R}`],
    ['/x?pwd=secret', `/x?pwd=${R}`],
    ['/x?secret=secret', `/x?secret=${R}`],
    ['/x?client_secret=secret', `/x?client_secret=${R}`],
    ['/x?signature=secret', `/x?signature=${R}`],
    ['/x?sig=secret', `/x?sig=${R}`],
    ['/x?code=secret', `/x?code=${R}`],
    ['/x?session=secret', `/x?session=${R}`],
    ['/x?jwt=secret', `/x?jwt=${R}`],
    ['/x?webhook_token=secret', `/x?webhook_token=${R}`],
    ['/x?X-Amz-Signature=secret', `/x?X-Amz-Signature=${R}`],
    ['/x?privateKey=secret', `/x?privateKey=${R}`],
    ['/x?user[password]=secret', `/x?user[password]=${R}`],
    ['/x?PHPSESSID=secret', `/x?PHPSESSID=${R}`],
  ])('redacts the value of a secret parameter: %s', (url, expected) => {
    expect(redactUrl(url)).toBe(expected);
  });

  it('recognises percent-encoded names, also encoded twice, and keeps them as sent', () => {
    expect(redactUrl('/x?X%2DN8N%2DAPI%2DKEY=secret')).toBe(`/x?X%2DN8N%2DAPI%2DKEY=${R}`);
    expect(redactUrl('/x?x%2dn8n%2dapi%2dkey=secret')).toBe(`/x?x%2dn8n%2dapi%2dkey=${R}`);
    expect(redactUrl('/x?api%5Fkey=secret')).toBe(`/x?api%5Fkey=${R}`);
    expect(redactUrl('/x?%74%6F%6B%65%6E=secret')).toBe(`/x?%74%6F%6B%65%6E=${R}`);
    expect(redactUrl('/x?api%255Fkey=secret')).toBe(`/x?api%255Fkey=${R}`);
    expect(redactUrl('/x?api+key=secret')).toBe(`/x?api+key=${R}`);
  });

  it('redacts every occurrence of a repeated parameter', () => {
    expect(redactUrl('/x?token=a&token=b&token=c')).toBe(`/x?token=${R}&token=${R}&token=${R}`);
    expect(redactUrl('/x?api_key=a&X-N8N-API-KEY=b')).toBe(`/x?api_key=${R}&X-N8N-API-KEY=${R}`);
  });

  it('keeps other parameters, their order and the separators as sent', () => {
    expect(redactUrl('/x?limit=10&token=abc&active=true')).toBe(`/x?limit=10&token=${R}&active=true`);
    expect(redactUrl('/x?limit=10&cursor=eyJsaW1pdCI6Mn0=&name=a%20b')).toBe('/x?limit=10&cursor=eyJsaW1pdCI6Mn0=&name=a%20b');
    expect(redactUrl('/x?a=1;token=abc;b=2')).toBe(`/x?a=1;token=${R};b=2`);
    expect(redactUrl('/x?&&token=abc&&')).toBe(`/x?&&token=${R}&&`);
  });

  it('keeps empty values and bare names (nothing to hide)', () => {
    expect(redactUrl('/x?token=')).toBe('/x?token=');
    expect(redactUrl('/x?token')).toBe('/x?token');
    expect(redactUrl('/x?')).toBe('/x?');
  });

  it('does not mistake names that merely contain a secret word', () => {
    expect(redactUrl('/x?keyword=a&tokens=b&codename=c&author=d')).toBe('/x?keyword=a&tokens=b&codename=c&author=d');
  });

  it('keeps long hex and base64 values under ordinary names: ids, cursors and hashes are what logs are for', () => {
    const url = '/x?id=0123456789abcdef0123456789abcdef&sha=3q2-7w_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
    expect(redactUrl(url)).toBe(url);
  });

  it('redacts an n8n API key wherever it is: a value, a bare parameter, a name, a path segment', () => {
    expect(redactUrl(`/x?q=${KEY}`)).toBe(`/x?q=${R}`);
    expect(redactUrl(`/x?q=prefix-${KEY}-suffix`)).toBe(`/x?q=prefix-${R}-suffix`);
    expect(redactUrl(`/x?${KEY}`)).toBe(`/x?${R}`);
    expect(redactUrl(`/x?${KEY}=1`)).toBe(`/x?${R}=1`);
    expect(redactUrl(`/webhook/${KEY}/orders`)).toBe(`/webhook/${R}/orders`);
    expect(redactUrl(`/api/v1/api-keys/${KEY}`)).toBe(`/api/v1/api-keys/${R}`);
  });

  it('takes only a prefix followed by at least 16 key characters for a key (names such as n8n_api_key are not)', () => {
    expect(redactUrl('/x?n8n_api_key=1&n8n_api_abc=2')).toBe(`/x?n8n_api_key=${R}&n8n_api_abc=2`);
    expect(redactUrl(`/x?q=${KEY.slice(0, 24)}`)).toBe(`/x?q=${R}`);
  });

  it('redacts an n8n API key that is percent-encoded, in part or whole', () => {
    expect(redactUrl(`/x?q=${KEY.replaceAll('_', '%5F')}`)).toBe(`/x?q=${R}`);
    expect(redactUrl(`/x?q=${KEY.replaceAll('_', '%5f')}`)).toBe(`/x?q=${R}`);
    const fullyEncoded = [...KEY].map((c) => `%${c.charCodeAt(0).toString(16)}`).join('');
    expect(redactUrl(`/x?q=${fullyEncoded}`)).toBe(`/x?q=${R}`);
    expect(redactUrl(`/webhook/${fullyEncoded}/a%20b`)).toBe(`/webhook/${R}/a%20b`);
    expect(redactUrl(`/x?q=${KEY}${fullyEncoded}`)).toBe(`/x?q=${R}`);
  });

  it('redacts a JWT wherever it is', () => {
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
    expect(redactUrl(`/x?state=${jwt}`)).toBe(`/x?state=${R}`);
    expect(redactUrl(`/callback/${jwt}`)).toBe(`/callback/${R}`);
  });

  it('treats a fragment like a query (an OAuth implicit-flow callback carries its token there)', () => {
    expect(redactUrl('/cb#access_token=abc&token_type=bearer&expires_in=3600')).toBe(
      `/cb#access_token=${R}&token_type=bearer&expires_in=3600`,
    );
    expect(redactUrl('/cb?state=1#id_token=abc')).toBe(`/cb?state=1#id_token=${R}`);
    expect(redactUrl('/cb#frag?token=abc')).toBe(`/cb#frag?token=${R}`);
    expect(redactUrl('/cb#section')).toBe('/cb#section');
  });

  it('redacts the userinfo of an absolute URL', () => {
    expect(redactUrl('http://user:pa55@example.com/p?a=1')).toBe(`http://${R}@example.com/p?a=1`);
    expect(redactUrl('https://ghp_abc@github.com/o/r')).toBe(`https://${R}@github.com/o/r`);
    expect(redactUrl('/mail/someone@example.com')).toBe('/mail/someone@example.com');
  });

  it('survives malformed escapes', () => {
    expect(redactUrl('/x?token=%E0%A4%A&name=%ZZ')).toBe(`/x?token=${R}&name=%ZZ`);
    expect(redactUrl('/x%?%=%')).toBe('/x%?%=%');
  });

  it('is idempotent', () => {
    for (const url of [`/x?token=a&q=${KEY}`, `/webhook/${KEY}?api_key=b#access_token=c`, 'http://u:p@h/?x=1']) {
      expect(redactUrl(redactUrl(url))).toBe(redactUrl(url));
    }
  });

  it('is cheap for a URL with nothing to hide', () => {
    const url = '/api/v1/workflows/abc123/versions/9';
    const started = performance.now();
    for (let i = 0; i < 100_000; i++) redactUrl(url);
    // Generous bound for slow CI machines; it takes a few milliseconds.
    expect(performance.now() - started).toBeLessThan(500);
  });
});

describe('redactUrlsInText', () => {
  it('redacts URLs inside messages', () => {
    expect(redactUrlsInText('Route GET:/x?token=abc&a=1 not found')).toBe(`Route GET:/x?token=${R}&a=1 not found`);
    expect(redactUrlsInText('Reply was already sent, did you forget to "return reply" in the "/x?api_key=abc" (GET) route?')).toBe(
      `Reply was already sent, did you forget to "return reply" in the "/x?api_key=${R}" (GET) route?`,
    );
    expect(redactUrlsInText(`request to https://api.example.com/v1?q=${KEY}&token=x failed`)).toBe(
      `request to https://api.example.com/v1?q=${R}&token=${R} failed`,
    );
  });

  it('redacts a key anywhere in the text', () => {
    expect(redactUrlsInText(`bad key ${KEY} given`)).toBe(`bad key ${R} given`);
  });

  it('leaves ordinary text alone', () => {
    for (const text of ['incoming request', 'request completed', 'Is this a question?', 'pruned old executions']) {
      expect(redactUrlsInText(text)).toBe(text);
    }
  });
});
