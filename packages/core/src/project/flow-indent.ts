/**
 * PyYAML and ruamel.yaml (what Meltano reads with) ignore indentation inside a multi-line flow collection,
 * so real meltano.yml files contain
 *
 *       streams: [
 *       {
 *         "stream_name": "animals"
 *       }
 *     ]
 *
 * which the `yaml` package rejects as YAML 1.2 requires (continuation lines must be indented deeper than
 * the key). Inside flow context leading spaces carry no meaning (quoted scalars fold them away), so
 * indenting those continuation lines past the key changes nothing but the column; line numbers stay.
 * Returns the re-indented text, or null when there was nothing to fix.
 */

const FLOW_START = /^(\s*(?:-\s+)*)(?:(?:"(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^\s#'"[{][^#]*?)\s*:\s+)?(?=[[{])/;

interface ScanState {
  depth: number;
  quote: '"' | "'" | null;
}

/** Track flow depth and open quotes through `text` (one line, no newline). */
function scan(text: string, state: ScanState): void {
  for (let i = 0; i < text.length; i++) {
    const ch = text.charAt(i);
    if (state.quote === '"') {
      if (ch === '\\') i++;
      else if (ch === '"') state.quote = null;
    } else if (state.quote === "'") {
      if (ch === "'" && text.charAt(i + 1) === "'") i++;
      else if (ch === "'") state.quote = null;
    } else if (ch === '#' && (i === 0 || /\s/.test(text.charAt(i - 1)))) {
      return;
    } else if (ch === '"' || ch === "'") {
      state.quote = ch;
    } else if (ch === '[' || ch === '{') {
      state.depth++;
    } else if (ch === ']' || ch === '}') {
      state.depth = Math.max(0, state.depth - 1);
    }
  }
}

export function relaxFlowIndentation(text: string): string | null {
  const lines = text.split(/(?<=\n)/);
  const state: ScanState = { depth: 0, quote: null };
  let required = 0;
  let changed = false;
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index] ?? '';
    const body = line.replace(/\r?\n$/, '');
    if (state.depth > 0 || state.quote) {
      const indent = /^ */.exec(body)?.[0].length ?? 0;
      if (body.trim() !== '' && indent < required) {
        lines[index] = ' '.repeat(required - indent) + line;
        changed = true;
      }
      scan(body, state);
      continue;
    }
    const start = FLOW_START.exec(body);
    if (!start) continue;
    required = (start[1] ?? '').length + 1;
    scan(body.slice(start[0].length), state);
    if (state.depth === 0) state.quote = null;
  }
  return changed ? lines.join('') : null;
}
