import { Type } from 'typebox';
import { Nullable, StringEnum } from './common.js';

/** A `meltano upgrade` this UI started. */
export const Upgrade = Type.Object(
  {
    id: Type.String(),
    argv: Type.Array(Type.String(), { description: 'The command, executable first' }),
    status: StringEnum(['running', 'success', 'failed', 'refused'], {
      description: '`refused`: Meltano ended without upgrading its package, and said why (`refusal`)',
    }),
    exit_code: Nullable(Type.Integer()),
    signal: Nullable(Type.String()),
    error: Nullable(Type.String()),
    refusal: Nullable(Type.String({ description: "Meltano's reason for not upgrading its package" })),
    created_at: Type.String(),
    ended_at: Nullable(Type.String()),
  },
  { $id: 'Upgrade' },
);

export const UpgradeOutput = Type.Object({
  status: StringEnum(['running', 'success', 'failed', 'refused']),
  offset: Type.Integer(),
  length: Type.Integer(),
  size: Type.Integer(),
  text: Type.String(),
  eof: Type.Boolean(),
});

export const MeltanoStatus = Type.Object({
  version: Nullable(
    Type.String({ description: '`meltano --version` of the CLI the UI runs; null until known' }),
  ),
  available: Type.Boolean({ description: 'Whether the Meltano CLI was found and answers' }),
  latest_version: Nullable(
    Type.String({ description: 'The newest Meltano on PyPI (ui.pypi_url); null when off or unreachable' }),
  ),
  latest_source: StringEnum(['pypi', 'off'], { description: '`off`: ui.check_for_updates is false' }),
  latest_checked_at: Nullable(Type.String({ format: 'date-time' })),
  latest_error: Nullable(Type.String({ description: 'Why PyPI could not be read (admins only)' })),
  upgrade_available: Type.Boolean({ description: 'latest_version is newer than version' }),
  upgrade: Type.Object({
    allowed: Type.Boolean({ description: 'Whether the caller may start `meltano upgrade` here now' }),
    reason: Nullable(Type.String({ description: 'Why not: role, read-only mode, Meltano refusing here, …' })),
    latest: Nullable(Upgrade, { description: 'The last upgrade started here (admins only)' }),
  }),
});
