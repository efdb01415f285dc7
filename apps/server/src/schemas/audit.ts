import { Type } from 'typebox';
import { Nullable, StringEnum, Timestamp } from './common.js';

export const AuditEntry = Type.Object(
  {
    id: Type.String({ description: 'The entry’s own id (a key for lists; its order means nothing)' }),
    at: Timestamp,
    actor: Type.String({
      description: 'The user name, `token:<token name>` for an API token, or `anonymous`',
    }),
    client_ip: Nullable(Type.String({ description: 'As the trusted-proxy settings allow' })),
    action: Type.String({
      description: 'The method and route pattern, as in this document: `POST /api/v1/schedules/{name}/run`',
    }),
    target: Type.Record(Type.String(), Type.String(), {
      description: "The route's parameters: schedule name, run id, state id…",
    }),
    pipeline: Nullable(Type.String({ description: 'The schedule or job the change concerns' })),
    status: Type.Integer({ description: 'The HTTP status answered' }),
    outcome: StringEnum(['ok', 'refused', 'failed'], {
      description: '`ok`: 2xx/3xx; `refused`: 4xx (not allowed, invalid, conflict); `failed`: 5xx',
    }),
    details: Type.Record(Type.String(), Type.Unknown(), {
      description:
        "Safe details only: `body_fields` (the names of the body's fields, never their values) and what the route adds (run options, a setting's name and store…)",
    }),
  },
  { $id: 'AuditEntry' },
);

export const AuditFilters = Type.Object({
  actor: Type.Optional(Type.String({ maxLength: 255, description: 'Exactly this actor' })),
  action: Type.Optional(
    Type.String({
      maxLength: 255,
      description: 'Exactly this action, or a prefix ending in `*` (`POST /api/v1/schedules*`)',
    }),
  ),
  pipeline: Type.Optional(Type.String({ maxLength: 255 })),
  since: Type.Optional(Type.String({ format: 'date-time', description: 'At or after (ISO 8601)' })),
  until: Type.Optional(Type.String({ format: 'date-time', description: 'Before (ISO 8601)' })),
});
