import { dotenvBindings } from '../project/dotenv.js';

/**
 * `.env` edits as python-dotenv's `set_key`/`unset_key` make them (Meltano's `.env` store), spliced so
 * every other byte stays: `KEY='value'` (quote mode "always"), every line of the key replaced, a new
 * key appended. Unlike `set_key`, a backslash is escaped too, so python-dotenv reads back exactly the
 * value (it unescapes `\\` and `\'` inside single quotes), and an `export ` prefix or trailing comment
 * on the line is kept.
 */

interface Edit {
  start: number;
  end: number;
  text: string;
}

function splice(text: string, edits: Edit[]): string {
  let out = text;
  for (const edit of [...edits].sort((a, b) => b.start - a.start)) {
    out = out.slice(0, edit.start) + edit.text + out.slice(edit.end);
  }
  return out;
}

/** Offsets from dotenvBindings are into the text without its BOM. */
function withoutBom(text: string): { bom: string; body: string } {
  return text.startsWith('\uFEFF') ? { bom: '\uFEFF', body: text.slice(1) } : { bom: '', body: text };
}

function dotenvLine(key: string, value: string): string {
  return `${key}='${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

export function setDotenvKey(text: string, key: string, value: string): string {
  const { bom, body } = withoutBom(text);
  const edits = dotenvBindings(body)
    .filter((binding) => binding.key === key)
    .map((binding) => {
      const lead = /^export[^\S\r\n]+/.exec(body.slice(binding.start))?.[0] ?? '';
      return { start: binding.start + lead.length, end: binding.valueEnd, text: dotenvLine(key, value) };
    });
  if (edits.length > 0) return bom + splice(body, edits);
  const eol = body.includes('\r\n') ? '\r\n' : '\n';
  const separator = body === '' || body.endsWith('\n') ? '' : eol;
  return `${bom}${body}${separator}${dotenvLine(key, value)}${eol}`;
}

/** Removes every line of each key (a quoted value may span lines); absent keys are fine. */
export function unsetDotenvKeys(text: string, keys: readonly string[]): string {
  const { bom, body } = withoutBom(text);
  const edits = dotenvBindings(body)
    .filter((binding) => keys.includes(binding.key))
    .map((binding) => ({ start: body.lastIndexOf('\n', binding.start - 1) + 1, end: binding.end, text: '' }));
  return edits.length === 0 ? text : bom + splice(body, edits);
}
