import { useEffect } from 'react';

/**
 * Names the browser tab after the page, most specific part first ("Run 5002 · daily-orders · Meltano UI"),
 * so a row of tabs and the history list say what each one is.
 */
export function usePageTitle(...parts: (string | number | null | undefined | false)[]): void {
  const title = [
    ...parts.filter((p) => p !== null && p !== undefined && p !== false && p !== ''),
    'Meltano UI',
  ]
    .map(String)
    .join(' · ');
  useEffect(() => {
    document.title = title;
  }, [title]);
}
