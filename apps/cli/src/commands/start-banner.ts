import type { MeltanoRuntimeStatus } from '@meltano-ui/core';

export interface StartFacts {
  version: string;
  url: string;
  project: string;
  authentication: boolean;
  database: { kind: 'sqlite' | 'postgres'; display: string };
  meltano: MeltanoRuntimeStatus;
  /** Things an operator should fix (authentication off on a public address, no ui.server_name). */
  warnings: string[];
}

const KINDS = { sqlite: 'SQLite', postgres: 'PostgreSQL' } as const;

function meltanoLine(meltano: MeltanoRuntimeStatus): string {
  if (!meltano.available) return `runs unavailable: ${meltano.reason ?? 'the Meltano CLI was not found'}`;
  const where = `${meltano.executable}${meltano.source === 'setting' ? ' (ui.meltano_executable)' : ''}`;
  if (!meltano.checked) return `found at ${where} (still asking its version)`;
  return `${meltano.version} at ${where}`;
}

/**
 * What `meltano ui` prints once the server answers: a few aligned lines for the person who started
 * it. The first keeps the wording scripts wait for ("Meltano UI is running at URL ").
 */
export function startBanner(facts: StartFacts): string {
  const rows: [string, string][] = [
    ['Project', facts.project],
    ['Auth', facts.authentication ? 'on (users sign in)' : 'off (no sign-in: anyone who reaches the port)'],
    ['Database', `${KINDS[facts.database.kind]} ${facts.database.display}`],
    ['Meltano', meltanoLine(facts.meltano)],
  ];
  return [
    `Meltano UI is running at ${facts.url} (version ${facts.version})`,
    ...rows.map(([label, value]) => `  ${label.padEnd(9)}${value}`),
    ...facts.warnings.map((warning) => `  Warning: ${warning}`),
    '',
  ].join('\n');
}
