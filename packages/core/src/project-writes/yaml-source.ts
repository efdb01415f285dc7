import type { Document } from 'yaml';
import { ProjectFileError } from '../errors.js';
import { parseYamlDocument } from '../project/yaml-file.js';

/**
 * A project file's text with its parsed Document, for edits spliced into the original bytes: everything
 * outside the edited entity stays byte for byte, which no re-stringify of the whole Document can promise.
 */
export interface YamlSource {
  text: string;
  /** The file's line ending; new lines are written with it (CRLF files stay CRLF). */
  eol: '\n' | '\r\n';
  doc: Document.Parsed;
  /** Node offsets are into the parsed text; this maps them to `text` (they differ only for relaxed files). */
  at(offset: number): number;
  /** Columns a nested mapping is indented by, and whether sequence dashes sit under or inside their key. */
  style: { indent: number; dashOffset: number };
}

export function parseYamlSource(file: string, text: string): YamlSource {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  // The loader's parse (shared with parseYamlText): node ranges are all an edit reads of the Document.
  const { doc, parsedText, firstError } = parseYamlDocument(file, text);
  if (doc.errors.length > 0) {
    const pos = firstError?.linePos?.[0];
    throw new ProjectFileError(`${file}: ${firstError?.message ?? 'invalid YAML'}`, {
      file,
      line: pos?.line ?? null,
      column: pos?.col ?? null,
    });
  }
  // The same PyYAML leniency the loader accepts; it only adds leading spaces, so offsets can be mapped back.
  const at = parsedText === text ? (offset: number) => offset : offsetMapper(text, parsedText);
  return { text, eol, doc, at, style: detectStyle(text) };
}

function offsetMapper(original: string, relaxed: string): (offset: number) => number {
  const origLines = original.split(/(?<=\n)/);
  const relaxedLines = relaxed.split(/(?<=\n)/);
  return (offset) => {
    let orig = 0;
    let rel = 0;
    for (let i = 0; i < relaxedLines.length; i++) {
      const r = relaxedLines[i] ?? '';
      const o = origLines[i] ?? '';
      if (offset < rel + r.length || i === relaxedLines.length - 1) {
        const added = r.length - o.length;
        return orig + Math.max(0, offset - rel - added);
      }
      rel += r.length;
      orig += o.length;
    }
    return offset;
  };
}

/** The first `key:` followed by a nested mapping or a `- ` item tells how this file indents. */
function detectStyle(text: string): { indent: number; dashOffset: number } {
  const lines = text.split(/\r?\n/).filter((line) => line.trim() !== '' && !line.trim().startsWith('#'));
  let indent: number | null = null;
  let dashOffset: number | null = null;
  for (let i = 0; i + 1 < lines.length; i++) {
    const key = /^( *)[^\s#-][^#]*:\s*(#.*)?$/.exec(lines[i] ?? '');
    if (!key) continue;
    const keyIndent = key[1]?.length ?? 0;
    const next = /^( *)(- )?/.exec(lines[i + 1] ?? '');
    const nextIndent = next?.[1]?.length ?? 0;
    if (next?.[2] && dashOffset === null && nextIndent >= keyIndent) dashOffset = nextIndent - keyIndent;
    if (!next?.[2] && indent === null && nextIndent > keyIndent) indent = nextIndent - keyIndent;
    if (indent !== null && dashOffset !== null) break;
  }
  // Meltano (ruamel) writes two-space mappings with the dash under its key.
  return { indent: indent ?? 2, dashOffset: dashOffset ?? 0 };
}

/** Offset of the start of the line holding `offset`. */
export function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/** Offset just past the line that holds the last character before `end` (a node's exclusive end). */
export function lineEndAfter(text: string, end: number): number {
  if (end > 0 && text[end - 1] === '\n') return end;
  const newline = text.indexOf('\n', end);
  return newline < 0 ? text.length : newline + 1;
}

export function columnOf(text: string, offset: number): number {
  return offset - lineStart(text, offset);
}
