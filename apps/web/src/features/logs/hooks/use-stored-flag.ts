import { useCallback, useState } from 'react';

/** A boolean preference kept in localStorage (the wrap toggle is a habit, not a per-page choice). */
export function useStoredFlag(key: string, initial: boolean): [boolean, (value: boolean) => void] {
  const [value, setValue] = useState(() => {
    try {
      const stored = window.localStorage.getItem(key);
      return stored === null ? initial : stored === 'true';
    } catch {
      return initial; // storage disabled: the choice lasts for the page
    }
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
