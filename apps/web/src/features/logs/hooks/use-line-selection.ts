import { useCallback, useMemo, useRef } from 'react';
import { useLocation, useNavigate } from 'react-router';
import { formatLineHash, type LineRange, parseLineHash } from '../model/line-hash';

/**
 * The selected lines, kept in the URL hash (`#L120`, `#L120-L140`) so a link to them can be shared
 * and survives a reload. Selecting replaces the history entry rather than adding one per click.
 */
export function useLineSelection() {
  const { hash, pathname, search } = useLocation();
  const navigate = useNavigate();
  const range = useMemo(() => parseLineHash(hash), [hash]);
  // Set when the reader clicked a line: it is on screen already, so the view must not jump.
  const selectedHere = useRef<string | null>(null);

  const select = useCallback(
    (line: number, extend: boolean) => {
      const next: LineRange =
        extend && range
          ? { start: Math.min(range.start, line), end: Math.max(range.start, line) }
          : { start: line, end: line };
      const nextHash = formatLineHash(next);
      selectedHere.current = nextHash;
      navigate({ pathname, search, hash: nextHash }, { replace: true });
    },
    [range, navigate, pathname, search],
  );

  return {
    range,
    select,
    /** True once for a hash this page set itself (a click), false for one from a link or the address bar. */
    consumeOwnChange(): boolean {
      const own = selectedHere.current !== null && selectedHere.current === hash;
      selectedHere.current = null;
      return own;
    },
  };
}
