// docker/Dockerfile read with a real parser (dockerfile-ast), for the tests that check it and for the
// e2e that starts what its runtime stage holds: both take paths, users and ENV from here, never from a
// second copy of them.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Copy, type Dockerfile, DockerfileParser, Env, type Instruction } from 'dockerfile-ast';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const DOCKERFILE = path.join(REPO_ROOT, 'docker', 'Dockerfile');
/** The script both the Dockerfile's build stage and the e2e run to make the runtime folder. */
export const BUILD_RUNTIME_SCRIPT = 'docker/build-runtime.sh';

export interface Stage {
  name: string | null;
  /** The FROM image as written, `${ARG}` references unexpanded. */
  image: string;
  instructions: Instruction[];
}

export interface CopyInstruction {
  from: string | null;
  sources: string[];
  destination: string;
  line: number;
}

export function readDockerfile(file = DOCKERFILE): Dockerfile {
  return DockerfileParser.parse(fs.readFileSync(file, 'utf8'));
}

/** The ARGs before the first FROM (usable in FROM lines) with their defaults. */
export function initialArgs(dockerfile: Dockerfile): Map<string, string | null> {
  const args = new Map<string, string | null>();
  for (const arg of dockerfile.getInitialARGs()) {
    const property = arg.getProperty();
    if (property) args.set(property.getName(), property.getValue());
  }
  return args;
}

export function stagesOf(dockerfile: Dockerfile): Stage[] {
  const stages: Stage[] = [];
  for (const instruction of dockerfile.getInstructions()) {
    if (instruction.getKeyword() === 'FROM') {
      const from = dockerfile
        .getFROMs()
        .find((f) => f.getRange().start.line === instruction.getRange().start.line);
      stages.push({ name: from?.getBuildStage() ?? null, image: from?.getImage() ?? '', instructions: [] });
    } else {
      stages.at(-1)?.instructions.push(instruction);
    }
  }
  return stages;
}

export function stageNamed(dockerfile: Dockerfile, name: string): Stage {
  const stage = stagesOf(dockerfile).find((s) => s.name === name);
  if (!stage) throw new Error(`docker/Dockerfile has no stage named ${name}`);
  return stage;
}

export function instructionsOf(stage: Stage, keyword: string): Instruction[] {
  return stage.instructions.filter((i) => i.getKeyword() === keyword);
}

/** The last instruction of a kind in a stage: the one that wins (USER, WORKDIR, CMD, ENTRYPOINT…). */
export function lastOf(stage: Stage, keyword: string): Instruction | null {
  return instructionsOf(stage, keyword).at(-1) ?? null;
}

export function copiesOf(stage: Stage): CopyInstruction[] {
  return stage.instructions
    .filter((i) => i.getKeyword() === 'COPY' || i.getKeyword() === 'ADD')
    .map((i) => {
      // Flags (--from, --chown…) come first; the last argument is the destination.
      const args = i
        .getArguments()
        .map((a) => a.getValue())
        .filter((v) => !v.startsWith('--'));
      const from = i instanceof Copy ? (i.getFromFlag()?.getValue() ?? null) : null;
      return {
        from,
        sources: args.slice(0, -1),
        destination: args.at(-1) ?? '',
        line: i.getRange().start.line,
      };
    });
}

/** Every ENV of a stage, in order (a later ENV of the same name wins, as in Docker). */
export function envOf(stage: Stage): Record<string, string> {
  const env: Record<string, string> = {};
  for (const instruction of stage.instructions) {
    if (!(instruction instanceof Env)) continue;
    for (const property of instruction.getProperties()) {
      env[property.getName()] = property.getValue() ?? '';
    }
  }
  return env;
}

/**
 * An exec-form (JSON array) argument list, or null for the shell form. For HEALTHCHECK the array
 * after `CMD` (its --flags come first).
 */
export function execForm(instruction: Instruction | null): string[] | null {
  const content = instruction?.getArgumentsContent()?.trim() ?? '';
  const json =
    instruction?.getKeyword() === 'HEALTHCHECK' ? /\bCMD\s+(\[.*\])$/s.exec(content)?.[1] : content;
  if (!json?.startsWith('[')) return null;
  const parsed: unknown = JSON.parse(json);
  return Array.isArray(parsed) && parsed.every((a) => typeof a === 'string') ? parsed : null;
}

export function argumentsText(instruction: Instruction | null): string {
  return instruction?.getArgumentsContent() ?? '';
}

/** What the image runs and with what: read from the runtime stage. */
export interface RuntimeStage {
  env: Record<string, string>;
  workdir: string;
  user: string;
  exposed: string[];
  command: string[];
  /** Where the build stage's runtime folder (docker/build-runtime.sh OUT_DIR) lands in the image. */
  appDir: string;
  /** ARG NODE_IMAGE's default: the image node (and the node binary copied into a project image) comes from. */
  nodeImage: string;
}

export function readRuntimeStage(dockerfile = readDockerfile()): RuntimeStage {
  const build = stageNamed(dockerfile, 'build');
  const runtime = stageNamed(dockerfile, 'runtime');
  const script = instructionsOf(build, 'RUN')
    .map(argumentsText)
    .map((text) => new RegExp(`${BUILD_RUNTIME_SCRIPT.replace(/[.]/g, '\\.')}\\s+(\\S+)`).exec(text)?.[1])
    .find((dir) => dir !== undefined);
  if (!script) throw new Error(`the build stage does not run ${BUILD_RUNTIME_SCRIPT}`);
  const copy = copiesOf(runtime).find((c) => c.from === 'build' && c.sources.includes(script));
  if (!copy) throw new Error(`the runtime stage does not copy ${script} from the build stage`);
  const entrypoint = execForm(lastOf(runtime, 'ENTRYPOINT'));
  const cmd = execForm(lastOf(runtime, 'CMD'));
  if (!entrypoint || !cmd) throw new Error('ENTRYPOINT and CMD must be exec-form (JSON arrays)');
  return {
    env: envOf(runtime),
    workdir: argumentsText(lastOf(runtime, 'WORKDIR')),
    user: argumentsText(lastOf(runtime, 'USER')),
    exposed: instructionsOf(runtime, 'EXPOSE').flatMap((i) => i.getArguments().map((a) => a.getValue())),
    command: [...entrypoint, ...cmd],
    appDir: copy.destination,
    nodeImage: initialArgs(dockerfile).get('NODE_IMAGE') ?? '',
  };
}
