/**
 * Sessions and API tokens this process checked in the last RECENTLY_RESOLVED_MS: a page load sends
 * several requests at once and scripts send bursts, and each lookup is two queries of the system
 * database (its row, then its user). Changes made through this process (sign-out, a user disabled or
 * given other roles, a token revoked) drop the entries at once; a change made elsewhere (another
 * replica, the `meltano-ui user` command) is seen within RECENTLY_RESOLVED_MS. Expiry is still checked
 * on every use. The age is measured on the monotonic clock, not the service's `now` (tests freeze that).
 */
export const RECENTLY_RESOLVED_MS = 1000;
const MAX_ENTRIES = 10_000;

export class RecentlyResolved<T extends { userId: string }> {
  readonly #entries = new Map<string, { value: T; at: number }>();

  get(key: string): T | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    if (performance.now() - entry.at < RECENTLY_RESOLVED_MS) return entry.value;
    this.#entries.delete(key);
    return undefined;
  }

  set(key: string, value: T): void {
    this.#entries.delete(key);
    if (this.#entries.size >= MAX_ENTRIES) {
      const oldest = this.#entries.keys().next().value;
      if (oldest !== undefined) this.#entries.delete(oldest);
    }
    this.#entries.set(key, { value, at: performance.now() });
  }

  delete(key: string): void {
    this.#entries.delete(key);
  }

  /** Drops every entry of the user (signed out everywhere, disabled, removed, new roles). */
  deleteUser(userId: string): void {
    for (const [key, entry] of this.#entries) if (entry.value.userId === userId) this.#entries.delete(key);
  }

  /** Drops the entries `matches` picks (a revoked API token). */
  deleteWhere(matches: (value: T) => boolean): void {
    for (const [key, entry] of this.#entries) if (matches(entry.value)) this.#entries.delete(key);
  }
}
