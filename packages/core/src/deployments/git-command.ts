import { spawn } from 'node:child_process';
import { CoreError } from '../errors.js';
import { maskUriPasswords } from '../plugins/redact.js';

/** How long one git step may take before it is killed (a fetch from a slow remote included). */
export const GIT_STEP_TIMEOUT_MS = 120_000;

export interface GitRunOptions {
  cwd: string;
  /** Each line git prints (stdout and stderr), credentials in URLs masked. */
  onLine?: (line: string) => void;
  timeoutMs?: number;
  env?: NodeJS.ProcessEnv;
  /** Exit codes that are answers rather than failures (`merge-base --is-ancestor` answers 1). */
  okCodes?: number[];
}

export interface GitResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** A git command that failed: its exit code and what it printed on stderr. */
export class GitCommandError extends CoreError {
  constructor(args: string[], message: string, details: Record<string, unknown> = {}) {
    super('git_failed', 409, `git ${args[0] ?? ''} failed: ${message}`, details);
  }
}

function splitLines(buffered: { text: string }, chunk: string, emit: (line: string) => void) {
  buffered.text += chunk;
  let newline = buffered.text.search(/[\r\n]/);
  while (newline >= 0) {
    const line = buffered.text.slice(0, newline);
    buffered.text = buffered.text.slice(newline + 1);
    if (line.trim() !== '') emit(line);
    newline = buffered.text.search(/[\r\n]/);
  }
}

/** Remote URLs may carry a token as user or password (`https://TOKEN@github.com/…`): neither is logged. */
export function maskGitCredentials(text: string): string {
  return maskUriPasswords(text).replace(/(\b[a-z][a-z0-9+.-]*:\/\/)([^:/@\s]+)@/gi, '$1(redacted)@');
}

/**
 * Runs the real `git` with an argv array (never a shell), no prompts, no pager and the C locale (its
 * messages are matched by nobody but read by people), killed after `timeoutMs`.
 */
export function runGit(args: string[], opts: GitRunOptions): Promise<GitResult> {
  const timeoutMs = opts.timeoutMs ?? GIT_STEP_TIMEOUT_MS;
  return new Promise((resolve, reject) => {
    const child = spawn('git', args, {
      cwd: opts.cwd,
      env: {
        ...(opts.env ?? process.env),
        GIT_TERMINAL_PROMPT: '0',
        GIT_PAGER: 'cat',
        LC_ALL: 'C',
        GIT_ASKPASS: '',
        SSH_ASKPASS: '',
        GIT_SSH_COMMAND: process.env.GIT_SSH_COMMAND ?? 'ssh -o BatchMode=yes',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: timeoutMs,
      killSignal: 'SIGKILL',
    });
    let stdout = '';
    let stderr = '';
    const outLines = { text: '' };
    const errLines = { text: '' };
    const emit = (line: string) => opts.onLine?.(maskGitCredentials(line));
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      stdout += chunk;
      splitLines(outLines, chunk, emit);
    });
    child.stderr.on('data', (chunk: string) => {
      stderr += chunk;
      splitLines(errLines, chunk, emit);
    });
    child.once('error', (err) => {
      reject(new GitCommandError(args, `could not start git: ${err.message}`));
    });
    child.once('close', (code, signal) => {
      for (const rest of [outLines.text, errLines.text]) if (rest.trim() !== '') emit(rest);
      if (signal !== null) {
        reject(
          new GitCommandError(args, `killed (${signal}) after ${Math.round(timeoutMs / 1000)} s`, {
            timeout_ms: timeoutMs,
          }),
        );
        return;
      }
      const exit = code ?? -1;
      if (exit !== 0 && !(opts.okCodes ?? []).includes(exit)) {
        const last = maskGitCredentials(stderr.trim().split('\n').slice(-3).join(' ')).slice(0, 500);
        reject(new GitCommandError(args, last || `exit code ${exit}`, { exit_code: exit }));
        return;
      }
      resolve({ code: exit, stdout, stderr });
    });
  });
}
