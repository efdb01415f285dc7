import { useCallback, useState } from 'react';

/**
 * A boolean preference kept in localStorage (the wrap toggle is a habit, not a per-page choice).
 * `initial` is used until the reader chooses (a function is read once, e.g. from the screen width).
 */
export function useStoredFlag(
  key: string,
  initial: boolean | (() => boolean),
): [boolean, (value: boolean) => void] {
  const [value, setValue] = useState(() => {
    try {
      const stored = window.localStorage.getItem(key);
      if (stored !== null) return stored === 'true';
    } catch {
      // storage disabled: the choice lasts for the page
    }
    return typeof initial === 'function' ? initial() : initial;
  });
  const set = useCallback(
    (next: boolean) => {
      setValue(next);
      try {
        window.localStorage.setItem(key, String(next));
      } catch {
        // not kept; fine
      }
    },
    [key],
  );
  return [value, set];
}
