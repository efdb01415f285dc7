import type { Page } from '@playwright/test';

/** The id of a run of `stateId` in the served project (the latest one), from the API. */
export async function runIdOf(page: Page, url: string, stateId: string): Promise<number> {
  const res = await page.request.get(`${url}/api/v1/runs?state_id=${encodeURIComponent(stateId)}&limit=1`);
  const body = (await res.json()) as { items: { id: number }[] };
  const id = body.items[0]?.id;
  if (id === undefined) throw new Error(`no run of ${stateId}`);
  return id;
}

/** Presses Tab until `isTarget` holds for the focused element; false after `max` presses. */
export async function tabUntil(page: Page, isTarget: (el: Element) => boolean, max = 80): Promise<boolean> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate(`(${isTarget.toString()})(document.activeElement)`)) return true;
  }
  return false;
}
