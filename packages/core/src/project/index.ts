export { parseDotenv, readDotenv } from './dotenv.js';
export { type EnvLookup, envReferenceNames, expandDeep, expandEnvVars } from './env-expand.js';
export { type FindProjectRootOptions, findProjectRoot } from './find-project-root.js';
export { loadProject } from './load-project.js';
export { maskSecretText, type ProjectErrorView, projectErrorView } from './project-error-view.js';
export { type ProjectSnapshot, ProjectStore, type ProjectStoreOptions } from './project-store.js';
