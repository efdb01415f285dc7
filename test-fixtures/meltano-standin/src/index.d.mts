// Types for the stand-in's library (plain JavaScript), used by the demo, benches and tests.
export interface RunRow {
  job_name: string;
  state: string;
  started_at: string;
  ended_at?: string | null;
  last_heartbeat_at?: string | null;
  payload?: Record<string, unknown>;
  payload_flags?: number;
  /** 32 hex digits, as Meltano stores run_id on SQLite. */
  run_id: string;
  trigger: string;
}

export interface StandinSystemDb {
  kind: 'sqlite' | 'postgres';
  runningRows(
    jobName: string,
  ): Promise<{ id: number; started_at: string; last_heartbeat_at: string | null }[]>;
  insertRun(row: RunRow): Promise<number>;
  heartbeat(id: number, date: Date): Promise<void>;
  updateRun(id: number, fields: Record<string, unknown>): Promise<void>;
  saveState(stateId: string, completed: unknown, updatedAt: string): Promise<void>;
  transaction<T>(fn: () => T): T;
  close(): Promise<void>;
}

export function openSystemDb(uri: string, cwd?: string): StandinSystemDb;
export function meltanoTimestamp(date: Date): string;
export function preciseNow(): Date;
export function logLine(date: Date, level: string, message: string, fields?: Record<string, unknown>): string;
export function uuid7Hex(date?: Date): string;
export function dashedUuid(hex: string): string;
export function sanitizeStateId(stateId: string): string;
export function pythonJson(value: unknown): string;
export function logFileFor(logsRoot: string, stateId: string, runIdHex: string): string;
export function checkRunning(db: StandinSystemDb, stateId: string, now?: Date): Promise<void>;
export const STANDIN_BIN: string;
