/**
 * A PEP 440 version as PyPI publishes Meltano's (`3.9.5`, `4.0.0rc1`, `4.0.0.post1`), enough to tell
 * whether one is newer: release numbers, then a pre-release (a < b < rc) sorting before the release.
 */
interface ParsedVersion {
  release: number[];
  /** [rank of a/b/rc, number]; null for a final release. */
  pre: [number, number] | null;
  post: number;
}

const PRE_RANK: Record<string, number> = { a: 0, alpha: 0, b: 1, beta: 1, c: 2, rc: 2, pre: 2, preview: 2 };

function parse(text: string): ParsedVersion | null {
  const m =
    /^v?(\d+(?:\.\d+)*)(?:[-_.]?(a|alpha|b|beta|c|rc|pre|preview)[-_.]?(\d*))?(?:[-_.]?post[-_.]?(\d*))?/i.exec(
      text.trim(),
    );
  if (!m?.[1]) return null;
  const release = m[1].split('.').map(Number);
  const pre = m[2] ? ([PRE_RANK[m[2].toLowerCase()] ?? 0, Number(m[3] || 0)] as [number, number]) : null;
  return { release, pre, post: m[4] === undefined ? -1 : Number(m[4] || 0) };
}

/** Negative when a is older than b, 0 when equal, positive when newer; null when either cannot be read. */
export function compareVersions(a: string, b: string): number | null {
  const x = parse(a);
  const y = parse(b);
  if (!x || !y) return null;
  const length = Math.max(x.release.length, y.release.length);
  for (let i = 0; i < length; i++) {
    const d = (x.release[i] ?? 0) - (y.release[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  if (x.pre === null && y.pre !== null) return 1;
  if (x.pre !== null && y.pre === null) return -1;
  if (x.pre !== null && y.pre !== null) {
    const d = x.pre[0] - y.pre[0] || x.pre[1] - y.pre[1];
    if (d !== 0) return Math.sign(d);
  }
  return Math.sign(x.post - y.post);
}

/** Whether `latest` is a newer release than `current` (false when either is unknown or unreadable). */
export function isNewerVersion(latest: string | null, current: string | null): boolean {
  if (latest === null || current === null) return false;
  return (compareVersions(latest, current) ?? 0) > 0;
}
