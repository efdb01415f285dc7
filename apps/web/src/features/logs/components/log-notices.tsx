import { Empty, ErrorState, Loading } from '../../../components/states';
import type { LogWindow } from '../hooks/use-log-window';

/** Where the view stands against the live file, and anything that went wrong on the way. */
export function LogNotices({
  log,
  followable,
  dead,
  atBottom,
}: {
  log: LogWindow;
  followable: boolean;
  /** Running in the database, but no heartbeat for minutes (presumed dead). */
  dead: boolean;
  atBottom: boolean;
}) {
  const deadNow = dead && log.follow !== 'ended';
  return (
    <>
      <p className={deadNow ? 'log-state log-state--dead' : 'log-state'} role="status">
        {deadNow ? deadState(log) : followState(log, followable, atBottom)}
        {log.status === 'ready' && log.buffer.count > 0 ? (
          <span className="muted">
            {' '}
            {log.buffer.firstLine === null
              ? '· counting the lines of this large log…'
              : `· lines ${log.buffer.firstLine.toLocaleString()}–${(log.buffer.lastLine ?? 0).toLocaleString()} loaded`}
          </span>
        ) : null}
        {followable && log.atEnd && log.follow === 'closed' && log.status !== 'loading' ? (
          <button type="button" className="link-button" onClick={log.reconnect}>
            Reconnect
          </button>
        ) : null}
      </p>
      {log.notice ? (
        <p className="log-notice" role="status">
          {log.notice}{' '}
          <button type="button" className="link-button" onClick={log.dismissNotice}>
            Dismiss
          </button>
        </p>
      ) : null}
      {log.pageError ? (
        <p className="log-notice log-notice--error" role="alert">
          {log.pageError}{' '}
          <button type="button" className="link-button" onClick={log.retryPaging}>
            Try again
          </button>
        </p>
      ) : null}
    </>
  );
}

function followState(log: LogWindow, followable: boolean, atBottom: boolean): string {
  if (!followable) return log.status === 'ready' ? finished(log) : '';
  if (!log.atEnd) return 'Showing an earlier part of a running log: jump to the latest lines to follow it.';
  if (log.follow === 'connecting') return 'Connecting to the live log…';
  if (log.follow === 'reconnecting') return 'Connection lost; reconnecting…';
  if (log.follow === 'ended') return finished(log);
  if (log.follow === 'closed') return log.status === 'loading' ? '' : 'Live updates stopped.';
  return atBottom ? '● Following live' : 'Following live, paused while you read above';
}

// The file is still watched: a run that was only slow to beat shows its new lines.
function deadState(log: LogWindow): string {
  const watching =
    log.atEnd && log.follow === 'open' ? ' Still watching the file in case it writes again.' : '';
  return `Presumed dead: the run has stopped sending heartbeats, so it is not followed as live.${watching}`;
}

function finished(log: LogWindow): string {
  return log.atStart && log.atEnd ? 'The run has finished; this is its whole log.' : 'The run has finished.';
}

/** Instead of lines: loading, failed, no file, or an empty file. */
export function LogPlaceholder({
  log,
  followable,
  onRetry,
}: {
  log: LogWindow;
  followable: boolean;
  onRetry: () => void;
}) {
  if (log.status === 'loading') return <Loading what="the log" />;
  if (log.status === 'error') {
    return <ErrorState what="the log" error={log.error ?? new Error('Unknown error')} retry={onRetry} />;
  }
  if (log.status === 'no-log') {
    return (
      <Empty>
        {followable
          ? 'This run has no log file yet. Its lines will appear here as soon as Meltano writes them.'
          : 'This run has no log file.'}
      </Empty>
    );
  }
  return (
    <Empty>
      {followable
        ? 'The log file is empty so far. New lines appear here as Meltano writes them.'
        : 'The log file is empty.'}
    </Empty>
  );
}
