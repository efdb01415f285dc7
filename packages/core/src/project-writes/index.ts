export { type AtomicWriteOptions, atomicWriteYaml, writeFileAtomically } from './atomic-write.js';
export { type EntityKind, readEntityVersions, type WriteOptions, type WriteResult } from './entity-write.js';
export {
  createEnvironment,
  deleteEnvironment,
  type EnvironmentInput,
  type EnvironmentOverrideInput,
  type EnvironmentPatch,
  type EnvironmentWriteResult,
  type StateIdChange,
  updateEnvironment,
} from './environments.writer.js';
export { entityVersion } from './fingerprint.js';
export { createJob, deleteJob, type JobInput, type JobPatch, updateJob } from './jobs.writer.js';
export type { PluginInput, PluginSettingInput } from './plugin-entry.js';
export { lockFilePath } from './plugin-lock-files.js';
export type { PluginWriteResult } from './plugin-write.js';
export {
  type AddPluginOptions,
  addPlugin,
  type RemovePluginOptions,
  readPluginVersions,
  removePlugin,
} from './plugins.writer.js';
export { type ProjectLockOptions, projectLockPath, withProjectLock } from './project-lock.js';
export {
  assertProjectWritable,
  isProjectReadonly,
  PROJECT_READONLY_MESSAGE,
  ProjectReadonlyError,
} from './readonly.js';
export {
  createSchedule,
  deleteSchedule,
  type EltScheduleInput,
  type JobScheduleInput,
  type ScheduleInput,
  type SchedulePatch,
  updateSchedule,
} from './schedules.writer.js';
