import fs from 'node:fs';
import path from 'node:path';
import { Healthcheck } from 'dockerfile-ast';
import { describe, expect, it } from 'vitest';
import {
  argumentsText,
  BUILD_RUNTIME_SCRIPT,
  copiesOf,
  execForm,
  initialArgs,
  instructionsOf,
  lastOf,
  REPO_ROOT,
  readDockerfile,
  readRuntimeStage,
  stageNamed,
  stagesOf,
} from '../src/dockerfile-stages.js';
import { buildContextFilter } from './support/build-context.js';

const dockerfile = readDockerfile();
const runtime = stageNamed(dockerfile, 'runtime');
const image = readRuntimeStage(dockerfile);
const inContext = buildContextFilter();
// Produced by `pnpm run build` before the image's COPY runs, so absent from a clean checkout.
const BUILD_OUTPUTS = ['apps/web/dist', 'packages/core/dist', 'apps/server/dist', 'apps/cli/dist'];

describe('docker/Dockerfile', () => {
  it('has a build stage and, last (the default target), the runtime stage', () => {
    expect(stagesOf(dockerfile).map((s) => s.name)).toEqual(['build', 'runtime']);
  });

  it('copies only sources that exist and that .dockerignore lets into the build context', () => {
    const copies = stagesOf(dockerfile).flatMap(copiesOf);
    const fromContext = copies.filter((c) => c.from === null);
    expect(fromContext.length).toBeGreaterThan(0);
    for (const copy of fromContext) {
      for (const source of copy.sources) {
        const relative = path.posix.normalize(source).replace(/^\/+/, '');
        const exists =
          fs.existsSync(path.join(REPO_ROOT, relative)) || BUILD_OUTPUTS.some((o) => relative.startsWith(o));
        expect(exists, `COPY ${source} (line ${copy.line + 1})`).toBe(true);
        if (relative !== '.') expect(inContext(relative), `COPY ${source} is .dockerignored`).toBe(true);
      }
    }
  });

  it('copies --from only stages defined above the COPY', () => {
    const stages = stagesOf(dockerfile);
    stages.forEach((stage, index) => {
      const earlier = stages.slice(0, index).map((s) => s.name);
      for (const copy of copiesOf(stage).filter((c) => c.from !== null)) {
        expect(earlier, `COPY --from=${copy.from} (line ${copy.line + 1})`).toContain(copy.from);
      }
    });
  });

  it('builds the runtime folder with docker/build-runtime.sh, a file the build context holds', () => {
    const runs = instructionsOf(stageNamed(dockerfile, 'build'), 'RUN').map(argumentsText).join('\n');
    expect(runs).toContain(`sh ${BUILD_RUNTIME_SCRIPT} ${image.appDir}`);
    expect(inContext(BUILD_RUNTIME_SCRIPT)).toBe(true);
    const script = fs.readFileSync(path.join(REPO_ROOT, BUILD_RUNTIME_SCRIPT), 'utf8');
    expect(script).toMatch(/pnpm@10 deploy --legacy --prod --filter @meltano-ui\/cli "\$out"/);
    // The build stage installs from the lockfile: the files pnpm needs must reach the context.
    for (const file of ['package.json', 'pnpm-lock.yaml', 'pnpm-workspace.yaml', '.npmrc']) {
      expect(inContext(file), file).toBe(true);
    }
  });

  it('runs as a non-root numeric user and group that own the project and logs folders', () => {
    const [uid, gid] = image.user.split(':');
    expect(image.user).toMatch(/^[1-9]\d*:[1-9]\d*$/);
    const setup = instructionsOf(runtime, 'RUN').map(argumentsText).join('\n');
    expect(setup).toContain(`groupadd --system --gid ${gid}`);
    expect(setup).toContain(`--uid ${uid} --gid ${gid}`);
    expect(setup).toMatch(new RegExp(`mkdir -p [^&]*${image.workdir}\\b`));
    expect(setup).toMatch(
      new RegExp(`chown ${image.user} [^&]*${image.env.MELTANO_UI_LOGS_DIR?.replace(/[/.-]/g, '\\$&')}`),
    );
  });

  it('exposes 5000, the port the server binds', () => {
    expect(image.exposed).toEqual(['5000']);
    expect(image.env.MELTANO_UI_BIND_PORT).toBe('5000');
    expect(image.env.MELTANO_UI_BIND_HOST).toBe('0.0.0.0');
  });

  it('checks health with node against /api/v1/health on that port (no curl or wget in the image)', () => {
    const check = execForm(lastOf(runtime, 'HEALTHCHECK'));
    expect(check?.slice(0, 2)).toEqual(['node', '-e']);
    expect(check?.[2]).toContain(`http://127.0.0.1:${image.env.MELTANO_UI_BIND_PORT}/api/v1/health`);
    const healthcheck = lastOf(runtime, 'HEALTHCHECK');
    expect(healthcheck).toBeInstanceOf(Healthcheck);
    const flags = (healthcheck as Healthcheck).getFlags().map((f) => f.getName());
    expect(flags).toEqual(expect.arrayContaining(['interval', 'timeout', 'start-period', 'retries']));
    const runtimeText = runtime.instructions.map(argumentsText).join('\n');
    expect(runtimeText).not.toMatch(/\b(curl|wget)\b/);
  });

  it('runs tini as PID 1 in exec form, started on the launcher with `ui`', () => {
    expect(image.command).toEqual(['/usr/bin/tini', '--', 'node', `${image.appDir}/bin/meltano.js`, 'ui']);
    expect(instructionsOf(runtime, 'RUN').map(argumentsText).join('\n')).toMatch(
      /apt-get install [^&]*\btini\b/,
    );
  });

  it('sets the deployment defaults: project at /project, read-only project, logs from the volume', () => {
    expect(image.workdir).toBe('/project');
    expect(image.env).toMatchObject({
      NODE_ENV: 'production',
      MELTANO_PROJECT_ROOT: '/project',
      MELTANO_PROJECT_READONLY: 'true',
      MELTANO_UI_LOGS_DIR: '/var/log/meltano-ui',
      MELTANO_UI_WEB_ROOT: `${image.appDir}/web-dist`,
    });
    const volumes = execForm(lastOf(runtime, 'VOLUME'));
    expect(volumes).toEqual([image.env.MELTANO_UI_LOGS_DIR]);
  });

  it('bakes no secret into the image', () => {
    for (const name of Object.keys(image.env)) {
      expect(name).not.toMatch(/SECRET|SALT|PASSWORD|TOKEN|DATABASE_URI/);
    }
  });

  it('takes the runtime base from ARG RUNTIME_BASE (a project image FROM meltano/meltano) and adds node', () => {
    const args = initialArgs(dockerfile);
    expect(args.get('RUNTIME_BASE')).toMatch(/^node:20-/);
    expect(args.get('NODE_IMAGE')).toBe(args.get('RUNTIME_BASE'));
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a Dockerfile ARG reference, not a template
    expect(runtime.image).toBe('${RUNTIME_BASE}');
    expect(copiesOf(runtime)).toContainEqual(
      expect.objectContaining({ from: 'build', sources: ['/usr/local/bin/node'] }),
    );
    // The README shows the project image and the build that layers the UI on it.
    const readme = fs.readFileSync(path.join(REPO_ROOT, 'docker', 'README.md'), 'utf8');
    expect(readme).toMatch(/^FROM meltano\/meltano/m);
    expect(readme).toContain('--build-arg RUNTIME_BASE=');
    expect(readme).toContain('--target runtime');
  });
});

describe('.dockerignore', () => {
  it('keeps node_modules, .git, .env and .meltano out of the build context, at any depth', () => {
    for (const excluded of [
      'node_modules/kysely/package.json',
      'apps/server/node_modules/fastify/package.json',
      '.git/HEAD',
      '.env',
      'apps/server/.env',
      '.meltano/meltano.db',
      'test-fixtures/real-meltano/v3.9.5/project/.meltano/meltano.db',
      'apps/web/dist/index.html',
    ]) {
      expect(inContext(excluded), excluded).toBe(false);
    }
  });

  it('lets every tracked source of the workspace packages in', () => {
    for (const included of [
      'apps/server/src/app.ts',
      'apps/web/index.html',
      'packages/core/src/index.ts',
      'apps/cli/bin/meltano.js',
      'tsconfig.base.json',
      'docker/Dockerfile',
      '.env.example',
    ]) {
      expect(inContext(included), included).toBe(true);
    }
  });
});
