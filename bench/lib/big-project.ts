// Meltano projects at size, written as Meltano writes them (block style, the sequence dash at its key's
// indent, crons that start with `*` or `@` quoted): a project with N schedules over include files,
// and a single meltano.yml with thousands of ELT schedules.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** One schedule, and the state IDs its runs are recorded under in the default environment. */
export interface Pipeline {
  name: string;
  kind: 'elt' | 'job';
  stateIds: string[];
  /** Relative to the project root. */
  file: string;
}

export interface BigProject {
  pipelines: Pipeline[];
  /** State IDs the job schedules' runs have in `prod`: runs the `dev` pages never show. */
  prodStateIds: string[];
}

interface Plugin {
  name: string;
  variant: string;
  pip_url: string;
}

const EXTRACTORS: Plugin[] = [
  { name: 'tap-postgres', variant: 'meltanolabs', pip_url: 'meltanolabs-tap-postgres' },
  { name: 'tap-github', variant: 'meltanolabs', pip_url: 'meltanolabs-tap-github' },
  {
    name: 'tap-salesforce',
    variant: 'meltanolabs',
    pip_url: 'git+https://github.com/meltanolabs/tap-salesforce.git',
  },
  {
    name: 'tap-stripe',
    variant: 'meltanolabs',
    pip_url: 'git+https://github.com/meltanolabs/tap-stripe.git',
  },
  { name: 'tap-hubspot', variant: 'meltanolabs', pip_url: 'meltanolabs-tap-hubspot' },
  { name: 'tap-mysql', variant: 'transferwise', pip_url: 'pipelinewise-tap-mysql' },
];
const LOADERS: Plugin[] = [
  { name: 'target-snowflake', variant: 'meltanolabs', pip_url: 'meltanolabs-target-snowflake' },
  { name: 'target-postgres', variant: 'meltanolabs', pip_url: 'meltanolabs-target-postgres' },
  { name: 'target-jsonl', variant: 'andyh1203', pip_url: 'target-jsonl' },
];
const INTERVALS = [
  '@hourly',
  '@daily',
  '0 */6 * * *',
  '*/15 * * * *',
  '30 2 * * *',
  '0 4 * * 1-5',
  '15 * * * *',
  '@daily',
  '0 0 * * 0',
  '45 23 * * *',
];

const pad = (n: number) => String(n).padStart(4, '0');
const short = (plugin: string) => plugin.replace(/^(tap|target)-/, '');
const quoted = (interval: string) => (/^[*@]/.test(interval) ? `'${interval}'` : interval);
const pluginEntry = (p: Plugin) =>
  `  - name: ${p.name}\n    variant: ${p.variant}\n    pip_url: ${p.pip_url}\n`;

interface EltSchedule {
  name: string;
  extractor: string;
  loader: string;
  interval: string;
}

function eltSchedules(count: number): EltSchedule[] {
  return Array.from({ length: count }, (_, i) => {
    const extractor = EXTRACTORS[i % EXTRACTORS.length]!.name;
    const loader = LOADERS[Math.floor(i / EXTRACTORS.length) % LOADERS.length]!.name;
    return {
      name: `${short(extractor)}-to-${short(loader)}-${pad(i)}`,
      extractor,
      loader,
      interval: INTERVALS[i % INTERVALS.length]!,
    };
  });
}

const eltYaml = (s: EltSchedule) =>
  `- name: ${s.name}\n  extractor: ${s.extractor}\n  loader: ${s.loader}\n  transform: skip\n  interval: ${quoted(s.interval)}\n`;

function head(includes: boolean): string {
  return [
    'version: 1',
    'default_environment: dev',
    `project_id: ${crypto.randomUUID()}`,
    'send_anonymous_usage_stats: false',
    ...(includes ? ['include_paths:', "- './orchestrate/*.meltano.yml'"] : []),
    'environments:',
    '- name: dev',
    '- name: prod',
    '  config:',
    '    plugins:',
    '      loaders:',
    '      - name: target-snowflake',
    '        config:',
    '          database: ANALYTICS',
    'plugins:',
    '  extractors:',
    EXTRACTORS.map(pluginEntry).join('').trimEnd(),
    '  loaders:',
    LOADERS.map(pluginEntry).join('').trimEnd(),
    '',
  ].join('\n');
}

/**
 * A project with `schedules` schedules (default 500) in `root`: two thirds ELT schedules (a quarter of
 * them in meltano.yml, the rest in two include files), one third job schedules, each running its own
 * job through its own extractor (`tap-postgres--tenant-0042`, inherited from tap-postgres, as projects
 * with one database per tenant do) so that each has a state ID of its own.
 */
export function writeBigProject(root: string, schedules = 500): BigProject {
  const eltCount = Math.round((schedules * 2) / 3);
  const jobCount = schedules - eltCount;
  const elt = eltSchedules(eltCount);
  const inMain = Math.round(eltCount / 4);
  const half = inMain + Math.round((eltCount - inMain) / 2);
  const files: [string, EltSchedule[]][] = [
    ['meltano.yml', elt.slice(0, inMain)],
    ['orchestrate/saas.meltano.yml', elt.slice(inMain, half)],
    ['orchestrate/databases.meltano.yml', elt.slice(half)],
  ];
  fs.mkdirSync(path.join(root, 'orchestrate'), { recursive: true });
  for (const [file, list] of files) {
    const text = `${file === 'meltano.yml' ? head(true) : ''}schedules:\n${list.map(eltYaml).join('')}`;
    fs.writeFileSync(path.join(root, file), text);
  }
  const pipelines: Pipeline[] = files.flatMap(([file, list]) =>
    list.map((s) => ({ name: s.name, kind: 'elt' as const, stateIds: [s.name], file })),
  );

  const tenants = Array.from({ length: jobCount }, (_, j) => {
    const tenant = `tenant-${pad(j)}`;
    const extractor = `tap-postgres--${tenant}`;
    const loader = LOADERS[j % LOADERS.length]!.name;
    return {
      tenant,
      extractor,
      loader,
      job: `sync-${tenant}`,
      interval: INTERVALS[(j * 3) % INTERVALS.length]!,
    };
  });
  const tenantFile = 'orchestrate/tenants.meltano.yml';
  fs.writeFileSync(
    path.join(root, tenantFile),
    [
      'plugins:',
      '  extractors:',
      ...tenants.map(
        (t) =>
          `  - name: ${t.extractor}\n    inherit_from: tap-postgres\n    config:\n      database: ${t.tenant.replace('-', '_')}`,
      ),
      'jobs:',
      ...tenants.map((t) => `- name: ${t.job}\n  tasks:\n  - ${t.extractor} ${t.loader}`),
      'schedules:',
      ...tenants.map((t) => `- name: ${t.job}-scheduled\n  job: ${t.job}\n  interval: ${quoted(t.interval)}`),
      '',
    ].join('\n'),
  );
  for (const t of tenants) {
    pipelines.push({
      name: `${t.job}-scheduled`,
      kind: 'job',
      stateIds: [`dev:${t.extractor}-to-${t.loader}`],
      file: tenantFile,
    });
  }
  return { pipelines, prodStateIds: tenants.map((t) => `prod:${t.extractor}-to-${t.loader}`) };
}

/** A project whose one meltano.yml holds `schedules` ELT schedules (default 2,000); their names in file order. */
export function writeSingleFileProject(root: string, schedules = 2000): string[] {
  const elt = eltSchedules(schedules);
  fs.writeFileSync(path.join(root, 'meltano.yml'), `${head(false)}schedules:\n${elt.map(eltYaml).join('')}`);
  return elt.map((s) => s.name);
}
