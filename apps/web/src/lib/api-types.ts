// Named API shapes for screens and hooks, taken from the types generated from /api/v1/openapi.json
// (api.gen.ts; regenerate with `pnpm gen:api`). Screens import these names, never the generated file.
// A fetcher's result needs no name here: openapi-fetch infers it from the path (lib/api-client.ts).
// Nothing below is written by hand; what the schema cannot say (a form's filters, a live stream's
// events) lives with the code that owns it.
import type { components, paths } from './api.gen';

type Schemas = components['schemas'];
type Ok<P extends keyof paths, M extends 'get' | 'patch'> = paths[P][M] extends {
  responses: { 200: { content: { 'application/json': infer T } } };
}
  ? T
  : never;

export type Run = Schemas['Run'];
export type RunStatus = Run['status'];
export type RunOutcome = Schemas['RunOutcome'];
export type RunMetrics = Schemas['RunMetrics'];
export type StreamRecords = Schemas['StreamRecords'];
export type Schedule = Schemas['Schedule'];
export type Job = Schemas['Job'];
export type Plugin = Schemas['Plugin'];
export type LoadError = Schemas['LoadError'];
export type Project = Ok<'/api/v1/project', 'get'>;
export type RunPage = Ok<'/api/v1/runs', 'get'>;
export type LogChunk = Ok<'/api/v1/runs/{id}/log', 'get'>;
export type Environment = Project['environments'][number];
export type Launch = Schemas['Launch'];
export type RunOptions = Launch['options'];
export type OfferedRunOptions = Ok<'/api/v1/schedules/{name}/run-options', 'get'>;
export type PluginSettings = Ok<'/api/v1/plugins/{type}/{name}/settings', 'get'>;
export type PluginSetting = PluginSettings['settings'][number];
export type Identity = Ok<'/api/v1/identity', 'get'>;
export type AuthMethods = Schemas['AuthMethods'];
export type Permission = Identity['permissions']['operate'];
export type User = Schemas['User'];
export type ApiToken = Schemas['ApiToken'];
type Body<P extends keyof paths, M extends 'post' | 'patch'> = paths[P][M] extends {
  requestBody?: { content: { 'application/json': infer T } };
}
  ? T
  : never;
export type ScheduleCreate = Body<'/api/v1/schedules', 'post'>;
export type SchedulePatch = Body<'/api/v1/schedules/{name}', 'patch'>;
export type JobCreate = Body<'/api/v1/jobs', 'post'>;
export type JobPatch = Body<'/api/v1/jobs/{name}', 'patch'>;
export type Written = Ok<'/api/v1/schedules/{name}', 'patch'>;
// Plugin screens: the catalog, add/remove, installs, setting writes.
type Answer<
  P extends keyof paths,
  M extends 'get' | 'post' | 'put' | 'delete',
  S extends number,
> = paths[P][M] extends {
  responses: Record<S, { content: { 'application/json': infer T } }>;
}
  ? T
  : never;
export type PluginCatalog = Answer<'/api/v1/plugins/catalog', 'get', 200>;
export type CatalogPlugin = PluginCatalog['plugins'][string][number];
export type CatalogDefinition = Answer<'/api/v1/plugins/catalog/{type}/{name}', 'get', 200>;
export type PluginAdd = paths['/api/v1/plugins']['post']['requestBody']['content']['application/json'];
export type PluginWritten = Answer<'/api/v1/plugins', 'post', 201>;
export type Install = Schemas['Install'];
export type InstallOutput = Answer<'/api/v1/installs/{install}/output', 'get', 200>;
// The Meltano CLI's version, the newest on PyPI, `meltano upgrade`.
export type MeltanoStatus = Answer<'/api/v1/meltano', 'get', 200>;
export type Upgrade = Schemas['Upgrade'];
export type UpgradeOutput = Answer<'/api/v1/meltano/upgrades/{upgrade}/output', 'get', 200>;
export type SettingWritten = Answer<'/api/v1/plugins/{type}/{name}/settings/{setting}', 'put', 200>;
export type SettingStore = NonNullable<SettingWritten['store']>;
export type EnvReference = Schemas['EnvReference'];
// Workspace: the active environment, a pipeline's Environment tab.
export type ActiveEnvironment = Answer<'/api/v1/project/active-environment', 'put', 200>;
export type PipelineEnvironment = Answer<'/api/v1/jobs/{name}/environment', 'get', 200>;
export type PipelinePluginSettings = PipelineEnvironment['plugins'][number];
export type ResolvedSetting = PipelinePluginSettings['settings'][number];
export type EnvironmentCreate =
  paths['/api/v1/environments']['post']['requestBody']['content']['application/json'];
export type EnvironmentPatch =
  paths['/api/v1/environments/{name}']['patch']['requestBody']['content']['application/json'];
export type EnvironmentWritten = Answer<'/api/v1/environments', 'post', 201>;
// Deployments from Git and the promotion view.
export type Deployment = Schemas['Deployment'];
export type DeploymentDetail = Schemas['DeploymentDetail'];
export type DeploymentStatus = Deployment['status'];
// Sign-in, the account page and the Users page: what their forms send.
export type SignIn = paths['/api/v1/auth/login']['post']['requestBody']['content']['application/json'];
export type AccountPassword =
  paths['/api/v1/account/password']['post']['requestBody']['content']['application/json'];
export type UserCreate = paths['/api/v1/users']['post']['requestBody']['content']['application/json'];
export type UserPatch = paths['/api/v1/users/{id}']['patch']['requestBody']['content']['application/json'];
// Notifications (admins): channels, rules, the delivery log, and what their forms send.
export type NotificationChannel = Schemas['NotificationChannel'];
export type ChannelKind = NotificationChannel['kind'];
export type NotificationRule = Schemas['NotificationRule'];
export type NotificationEvent = NotificationRule['events'][number];
export type NotificationDelivery = Schemas['NotificationDelivery'];
export type DeliveryStatus = NotificationDelivery['status'];
export type ChannelCreate = Body<'/api/v1/notifications/channels', 'post'>;
export type ChannelPatch = Body<'/api/v1/notifications/channels/{id}', 'patch'>;
export type RuleCreate = Body<'/api/v1/notifications/rules', 'post'>;
export type RulePatch = Body<'/api/v1/notifications/rules/{id}', 'patch'>;

// The audit log (admins): every change asked of the API.
export type AuditEntry = Schemas['AuditEntry'];
