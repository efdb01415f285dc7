import { type RefObject, useLayoutEffect } from 'react';

/**
 * Sizes `target` to reach the bottom of the window from where it starts on the page (at least
 * `minPx`: a dozen lines, small enough that a 720 px laptop screen under a banner still shows the
 * log's end), so the log takes the whole screen below the run's details and scrolls on its own.
 * Re-measured when the window or the page changes size (a failure message appearing above moves
 * it down; its own new height changes nothing it measures, so this settles at once).
 */
export function useFillHeight(target: RefObject<HTMLElement | null>, minPx = 240) {
  // biome-ignore lint/correctness/useExhaustiveDependencies: measured once; the observers keep it current
  useLayoutEffect(() => {
    const element = target.current;
    if (!element) return;
    const update = () => {
      const top = element.getBoundingClientRect().top + window.scrollY;
      const margin = parseFloat(getComputedStyle(document.documentElement).fontSize) || 16;
      element.style.height = `${Math.max(minPx, Math.floor(window.innerHeight - top - margin))}px`;
    };
    update();
    const observer = new ResizeObserver(update);
    observer.observe(document.body);
    window.addEventListener('resize', update);
    return () => {
      observer.disconnect();
      window.removeEventListener('resize', update);
    };
  }, []);
}
