// The values the fuzz puts in every parameter, header and body field: traversal strings, shell and
// SQL metacharacters, wrong types, extremes and encodings that break naive decoders.

/** Placed in path segments and query strings as written: some are already percent-encoded on purpose. */
export const PRE_ENCODED = [
  '..%2F..%2F..%2F..%2Fetc%2Fpasswd',
  '%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd',
  '%2e%2e',
  '%c0%ae%c0%ae%c0%af',
  '%ff%fe%fd',
  '%00',
  'a%00b',
  '%',
  '%zz',
  '%u002e%u002e',
  '..%5c..%5c..%5cwindows',
  '%252e%252e%252f',
] as const;

/** Percent-encoded by the fuzz before use. */
export const RAW = [
  '../../../../../../etc/passwd',
  '....//....//....//etc/passwd',
  '..\\..\\..\\..\\etc\\passwd',
  '/etc/passwd',
  '..',
  '.',
  '~',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a Meltano env reference, sent as text.
  '${MELTANO_UI_SECRET_KEY}',
  '$PATH',
  '$(id)',
  '`id`',
  '; cat /etc/passwd',
  '-rf',
  '--help',
  '--database-uri=sqlite:////tmp/x.db',
  "' OR 1=1 --",
  '"; DROP TABLE runs; --',
  '<script>alert(1)</script>',
  '{{7*7}}',
  '__proto__',
  'constructor',
  '\u202e\u0000\u001b[31m',
  'ünïcödé 😀',
  'CON',
  ' ',
  '',
  '-1',
  '0',
  '1.5',
  '1e308',
  '9'.repeat(40),
  'NaN',
  'Infinity',
  '0x10',
  'true',
  'null',
  '[]',
  '{}',
  'A'.repeat(4000),
] as const;

function nested(depth: number): unknown {
  let value: unknown = 1;
  for (let i = 0; i < depth; i++) value = { a: value };
  return value;
}

/** Wrong-typed and extreme JSON values for every body field. */
export const JSON_VALUES: unknown[] = [
  null,
  true,
  0,
  -1,
  1.5,
  2 ** 53 + 1,
  1e308,
  '',
  'x'.repeat(100_000),
  [],
  [1, 'a', null, {}],
  {},
  nested(200),
  '../../../../etc/passwd',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a Meltano env reference, sent as text.
  '${MELTANO_UI_SECRET_KEY}',
  '\u0000\ud800',
  { __proto__: { polluted: true } },
  JSON.parse('{"__proto__": {"polluted": true}, "constructor": {"prototype": {"polluted": true}}}'),
];

/** Request bodies as bytes, whatever the schema: broken, enormous, deep, badly encoded. */
export const RAW_BODIES: { label: string; body: Buffer }[] = [
  { label: 'truncated JSON', body: Buffer.from('{"name": "x", ') },
  { label: 'not JSON', body: Buffer.from('name=x&interval=@daily') },
  { label: 'JSON null', body: Buffer.from('null') },
  { label: 'JSON array', body: Buffer.from('[1,2,3]') },
  { label: 'JSON string', body: Buffer.from('"x"') },
  { label: 'JSON number', body: Buffer.from('12345678901234567890') },
  { label: 'deep arrays', body: Buffer.from(`${'['.repeat(50_000)}${']'.repeat(50_000)}`) },
  { label: 'deep objects', body: Buffer.from(`${'{"a":'.repeat(20_000)}1${'}'.repeat(20_000)}`) },
  {
    label: 'many keys',
    body: Buffer.from(
      JSON.stringify(Object.fromEntries(Array.from({ length: 40_000 }, (_, i) => [`k${i}`, i]))),
    ),
  },
  { label: 'over the body limit', body: Buffer.alloc(2 * 1024 * 1024 + 1, 0x20) },
  {
    label: 'invalid UTF-8',
    body: Buffer.from([0x7b, 0x22, 0x6e, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0xc0, 0x22, 0x7d]),
  },
  { label: 'UTF-16 BOM', body: Buffer.from('\ufeff{"name":"x"}', 'utf16le') },
  { label: 'NUL bytes', body: Buffer.from('{"name":"\u0000\u0000"}\u0000') },
  { label: 'duplicate keys', body: Buffer.from('{"name":"a","name":"b","name":{"x":1}}') },
];

export const CONTENT_TYPES = [
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/json; charset=latin1',
  'application/json; charset=utf-16',
  'application/json, text/html',
  'application/xml',
  '*/*',
] as const;

/** Odd values for the headers the API reads. */
export const HEADER_VALUES: Record<string, string[]> = {
  'if-match': ['', '*', 'W/"x"', `"${'a'.repeat(8000)}"`, '1, 2, 3', '-1', '"../../etc/passwd"'],
  range: [
    'bytes=-1',
    'bytes=999999999999999-',
    'bytes=5-1',
    Array.from({ length: 300 }, (_, i) => `${i}-${i}`)
      .join(',')
      .replace(/^/, 'bytes='),
    'lines=1-2',
    'bytes=abc',
    'bytes=0-18446744073709551616',
  ],
  'last-event-id': ['-1', 'abc', '9'.repeat(30), '1e9', ''],
  cookie: [
    'meltano_ui_session=garbage',
    `meltano_ui_session=${'a'.repeat(3000)}`,
    'meltano_ui_session=a; meltano_ui_session=b',
    '__Host-meltano_ui_session=x.y',
    'meltano_ui_session=s%3Aforged.c2lnbmF0dXJl',
  ],
  authorization: [
    'Bearer ',
    'Bearer mui_x',
    'Basic YTpi',
    `Bearer ${'a'.repeat(6000)}`,
    'Bearer mui_../../x',
  ],
  'x-forwarded-for': ['1.2.3.4, 5.6.7.8', 'not-an-ip', `${'9.'.repeat(2000)}9`],
  'x-forwarded-proto': ['javascript', 'https, http', ''],
  'x-forwarded-host': ['evil.example', 'localhost:1@evil.example'],
  origin: ['null', 'http://evil.example', 'http://127.0.0.1:1', 'file://'],
  'x-json-scheme': ['camel', 'snake', 'x'.repeat(500)],
  accept: ['text/event-stream', 'text/html', '*/*;q=foo', 'application/json;q=0'],
  'accept-encoding': ['gzip;q=2, br, identity;q=-1', 'x'.repeat(2000)],
};

export const ODD_METHODS = [
  'PROPFIND',
  'TRACE',
  'OPTIONS',
  'HEAD',
  'PUT',
  'PATCH',
  'DELETE',
  'SEARCH',
] as const;
