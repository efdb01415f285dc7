import type { Project } from '../project/project.types.js';

/** "Did you mean …?" and the names that do exist, grouped by type and kept short. */
export function whatExists(project: Project, missing: string, type?: string): string {
  const plugins = project.plugins.filter((plugin) => !type || plugin.type === type);
  if (plugins.length === 0) {
    return type ? `The project has no ${type} yet.` : 'The project has no plugins yet.';
  }
  const byType = new Map<string, string[]>();
  for (const plugin of plugins) byType.set(plugin.type, [...(byType.get(plugin.type) ?? []), plugin.name]);
  const listed = [...byType].map(([kind, names]) => `${kind}: ${shortList(names)}`).join('; ');
  return `${didYouMean(
    missing,
    plugins.map((p) => p.name),
  )}It has ${listed}.`;
}

/** For a missing job: the near name and the jobs there are. */
export function whatJobsExist(project: Project, missing: string): string {
  const jobs = project.jobs.map((job) => job.name);
  if (jobs.length === 0) return 'The project has no jobs yet.';
  return `${didYouMean(missing, jobs)}Its jobs: ${shortList(jobs)}.`;
}

function didYouMean(missing: string, names: readonly string[]): string {
  const near = closest(missing, names);
  return near ? `Did you mean '${near}'? ` : '';
}

function shortList(names: string[], max = 8): string {
  return names.length <= max
    ? names.join(', ')
    : `${names.slice(0, max).join(', ')} and ${names.length - max} more`;
}

/** The nearest name within a third of its length in edits (a typo), else null. */
export function closest(name: string, candidates: readonly string[]): string | null {
  let best: string | null = null;
  let bestDistance = Math.max(2, Math.floor(name.length / 3)) + 1;
  for (const candidate of candidates) {
    const distance = editDistance(name, candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row[j] = Math.min((previous[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
    }
    previous = row;
  }
  return previous[b.length] ?? 0;
}
