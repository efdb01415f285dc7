/** What the command palette can open: a page, a pipeline, a plugin or a run, and where it goes. */
export interface PaletteItem {
  kind: 'Page' | 'Schedule' | 'Job' | 'Plugin' | 'Run';
  label: string;
  /** Shown beside the label and searched too (a plugin's type, a schedule's extractor and loader). */
  detail?: string;
  to: string;
}

export interface PaletteSources {
  schedules: readonly {
    name: string;
    extractor?: string | null;
    loader?: string | null;
    job?: string | null;
  }[];
  jobs: readonly { name: string }[];
  plugins: Readonly<Record<string, readonly { name: string }[]>>;
  showUsers: boolean;
  /** Admins only, as in the menu (Notifications and the Audit log). */
  showNotifications: boolean;
}

const enc = encodeURIComponent;

export function pageItems(showUsers: boolean, showNotifications = false): PaletteItem[] {
  const pages: [string, string][] = [
    ['Pipelines', '/'],
    ['Runs', '/runs'],
    ['Plugins', '/plugins'],
    ['Environments', '/environments'],
    ['Deployments', '/deployments'],
    ['Settings', '/settings'],
    ['New schedule', '/schedules/new'],
    ['New job', '/jobs/new'],
    ['Add an extractor', '/plugins/add/extractors'],
    ['Add a loader', '/plugins/add/loaders'],
  ];
  if (showUsers) pages.push(['Users', '/users']);
  if (showNotifications) pages.push(['Notifications', '/notifications'], ['Audit log', '/audit']);
  return pages.map(([label, to]) => ({ kind: 'Page', label, to }));
}

/** Everything findable, before any query: pages first, then pipelines, then plugins. */
export function allItems(s: PaletteSources): PaletteItem[] {
  return [
    ...pageItems(s.showUsers, s.showNotifications),
    ...s.schedules.map((x): PaletteItem => {
      const detail = x.job ? `job ${x.job}` : [x.extractor, x.loader].filter(Boolean).join(' → ');
      return {
        kind: 'Schedule',
        label: x.name,
        to: `/schedules/${enc(x.name)}`,
        ...(detail ? { detail } : {}),
      };
    }),
    ...s.jobs.map((x): PaletteItem => ({ kind: 'Job', label: x.name, to: `/jobs/${enc(x.name)}` })),
    ...Object.entries(s.plugins).flatMap(([type, list]) =>
      list.map(
        (x): PaletteItem => ({
          kind: 'Plugin',
          label: x.name,
          detail: type,
          to: `/plugins/${enc(type)}/${enc(x.name)}`,
        }),
      ),
    ),
  ];
}

/**
 * The items matching `query` (every word somewhere in kind, label or detail), best first: a label that
 * starts with the query before one that only contains it. A number (or "#12", "run 12") offers that run.
 */
export function search(items: readonly PaletteItem[], query: string, limit = 50): PaletteItem[] {
  const q = query.trim().toLowerCase();
  const run = /^(?:run\s*)?#?\s*(\d{1,12})$/.exec(q);
  const runItem: PaletteItem[] = run?.[1]
    ? [{ kind: 'Run', label: `Run ${Number(run[1])}`, to: `/runs/${Number(run[1])}` }]
    : [];
  if (q === '') return items.slice(0, limit);
  const words = q.split(/\s+/);
  const scored = items
    .map((item) => {
      const label = item.label.toLowerCase();
      const text = `${item.kind} ${label} ${item.detail ?? ''}`.toLowerCase();
      if (!words.every((w) => text.includes(w))) return null;
      return { item, score: label === q ? 0 : label.startsWith(q) ? 1 : label.includes(q) ? 2 : 3 };
    })
    .filter((x) => x !== null)
    .sort((a, b) => a.score - b.score);
  return [...runItem, ...scored.map((x) => x.item)].slice(0, limit);
}
