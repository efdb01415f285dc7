import v8 from 'node:v8';

/** V8's own value of --semi-space-growth-factor (src/flags/flag-definitions.h). */
const V8_DEFAULT_GROWTH_FACTOR = 2;

/** Flags the user gave Node themselves (NODE_OPTIONS or the command line) win over this module. */
const userSetsYoungGeneration = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)].some(
  (flag) => /^--(max-|min-)?semi[-_]space/.test(flag),
);

/*
 * Start-up allocates ~25 MiB of objects that live as long as the process (modules, route schemas, the
 * loaded project). Each scavenge that keeps most of what it copied makes V8 double the young
 * generation, so by the time the server listens it has grown to two 16 MiB semi-spaces: ~20 MiB that
 * stay resident on a server that then sits idle (a quarter of its idle RSS). main.ts imports this module
 * first, so the flag is set before the rest of the bundle is evaluated: the young generation keeps its
 * initial size through start-up, and those objects are promoted to the old generation as they would
 * be anyway. letYoungGenerationGrow() gives V8 its default back once start-up's own work is done, so
 * a server under load grows the young generation exactly as before.
 */
if (!userSetsYoungGeneration) v8.setFlagsFromString('--semi-space-growth-factor=1');

/** V8 grows the young generation as it sees fit again (its default), unless the user set it. */
export function letYoungGenerationGrow(): void {
  if (!userSetsYoungGeneration)
    v8.setFlagsFromString(`--semi-space-growth-factor=${V8_DEFAULT_GROWTH_FACTOR}`);
}
