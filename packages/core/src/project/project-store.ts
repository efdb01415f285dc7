import { readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { CoreError, type ProjectFileError } from '../errors.js';
import { resolveIncludePaths } from './include-paths.js';
import { includePatterns, loadProject } from './load-project.js';
import { listLockFiles } from './plugin-lock.js';
import type { Project } from './project.types.js';
import { parseYamlText } from './yaml-file.js';

export type ProjectSnapshot =
  | { ok: true; project: Project; loaded_at: Date }
  | { ok: false; error: ProjectFileError | CoreError; loaded_at: Date };

export interface ProjectStoreOptions {
  /** Minimum time between two looks at the files on disk (ms). Default 1000. */
  checkIntervalMs?: number;
}

/**
 * The current project, reloaded when its files change. Users edit meltano.yml by hand and with the CLI
 * while the UI runs, so every `get()` may notice a change; to keep requests cheap the files are stat'ed
 * at most once per `checkIntervalMs` and concurrent callers share one check/load. Project errors are
 * returned as `{ ok: false }` snapshots, never thrown, so the UI can show them and recover after a fix.
 */
export class ProjectStore {
  readonly root: string;
  private readonly checkIntervalMs: number;
  private snapshot: ProjectSnapshot | null = null;
  private fingerprint: string | null = null;
  private checkedAt = 0;
  private inflight: Promise<ProjectSnapshot> | null = null;
  /** include_paths of meltano.yml, cached by meltano.yml's own fingerprint. */
  private patterns: { key: string; patterns: string[] } | null = null;
  private readonly listeners = new Set<(snapshot: ProjectSnapshot) => void>();

  constructor(root: string, opts: ProjectStoreOptions = {}) {
    this.root = resolve(root);
    this.checkIntervalMs = opts.checkIntervalMs ?? 1000;
  }

  /**
   * `fresh` looks at the files now, whatever the interval: for a read that an edit will be based on,
   * whose content must match the version read beside it (else a form could save over a newer file).
   */
  get(opts: { fresh?: boolean } = {}): Promise<ProjectSnapshot> {
    // A check already under way may have looked before the caller's moment: a fresh read joins the
    // next one (started after it), once.
    if (this.inflight) {
      return opts.fresh ? this.inflight.then(() => this.inflight ?? this.check()) : this.inflight;
    }
    if (!opts.fresh && this.snapshot && Date.now() - this.checkedAt < this.checkIntervalMs) {
      return Promise.resolve(this.snapshot);
    }
    return this.check();
  }

  /**
   * Calls `listener` with every snapshot loaded after a change on disk (not with reused ones), e.g. to
   * log a load error once rather than on every request. Returns the unsubscribe function.
   */
  onLoad(listener: (snapshot: ProjectSnapshot) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** One look at the disk, shared by every caller that arrives while it runs. */
  private check(): Promise<ProjectSnapshot> {
    this.inflight = this.refresh().finally(() => {
      this.inflight = null;
    });
    return this.inflight;
  }

  private async refresh(): Promise<ProjectSnapshot> {
    const before = await this.computeFingerprint();
    this.checkedAt = Date.now();
    if (this.snapshot && before === this.fingerprint) return this.snapshot;

    let snapshot: ProjectSnapshot;
    try {
      snapshot = { ok: true, project: await loadProject(this.root), loaded_at: new Date() };
    } catch (error) {
      const coreError =
        error instanceof CoreError
          ? error
          : new CoreError(
              'project_load_failed',
              500,
              `Could not load the project: ${(error as Error).message}`,
            );
      snapshot = { ok: false, error: coreError, loaded_at: new Date() };
    }
    // Fingerprint taken before loading: a write racing the load shows up as a change on the next check.
    this.fingerprint = before;
    this.snapshot = snapshot;
    for (const listener of this.listeners) listener(snapshot);
    return snapshot;
  }

  /** mtime/size of every file a load reads, plus the list of files the include globs match right now. */
  private async computeFingerprint(): Promise<string> {
    const meltanoYml = join(this.root, 'meltano.yml');
    const meltanoStamp = await stamp(meltanoYml);
    const patterns = await this.includePatterns(meltanoYml, meltanoStamp);
    const included = await resolveIncludePaths(this.root, patterns).catch(() => []);
    const others = [...included, join(this.root, '.env'), ...(await listLockFiles(this.root))];
    const stamps = await Promise.all(others.map(async (file) => `${file}\t${await stamp(file)}`));
    return [`meltano.yml\t${meltanoStamp}`, ...stamps].join('\n');
  }

  private async includePatterns(meltanoYml: string, key: string): Promise<string[]> {
    if (this.patterns?.key === key) return this.patterns.patterns;
    let patterns: string[] = [];
    try {
      const text = await readFile(meltanoYml, 'utf8');
      // A file that never names the key has none: no parse (a 2,000-schedule file takes ~150 ms).
      if (text.includes('include_paths')) {
        patterns = includePatterns(parseYamlText(meltanoYml, text, this.root).data);
      }
    } catch {
      // A broken or missing meltano.yml: its own stamp changes when it is fixed.
    }
    this.patterns = { key, patterns };
    return patterns;
  }
}

async function stamp(file: string): Promise<string> {
  try {
    const info = await stat(file, { bigint: true });
    return `${info.mtimeNs}:${info.size}:${info.ino}`;
  } catch {
    return 'missing';
  }
}
