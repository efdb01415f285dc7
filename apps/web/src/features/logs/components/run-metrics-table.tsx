import './run-metrics.css';
import type { RunMetrics } from '../../../lib/api-types';
import { counted, duration } from '../../../lib/format';
import { useRunMetrics } from '../api/get-run-metrics';

const count = (n: number | null) => (n === null ? '—' : n.toLocaleString());
const ms = (n: number | null) => (n === null ? '—' : n < 1000 ? `${Math.round(n)} ms` : duration(n / 1000));

/** "130 records extracted · 120 loaded · 2 streams": the line that stands for the tables. */
function headline(m: RunMetrics): string {
  const parts = [
    m.records_extracted === null ? null : `${counted(m.records_extracted, 'record')} extracted`,
    m.records_loaded === null ? null : `${m.records_loaded.toLocaleString()} loaded`,
    m.by_stream.length > 0 ? counted(m.by_stream.length, 'stream') : null,
    m.http.length > 0
      ? counted(
          m.http.reduce((n, e) => n + e.requests, 0),
          'HTTP request',
        )
      : null,
  ].filter(Boolean);
  return parts.length > 0 ? parts.join(' · ') : `${counted(m.metric_lines, 'metric')} logged`;
}

/**
 * What the run moved, per stream, from the Singer METRIC lines of its log (taps and targets built on
 * the Singer SDK or singer-python write them); live while the run goes on. Folded to one line, so
 * the log keeps its place on the screen.
 */
export function RunMetricsSection({ runId }: { runId: number }) {
  const metrics = useRunMetrics(runId);
  if (metrics.isPending) return null;
  if (metrics.isError) {
    return <p className="muted run-metrics">Records moved: could not be read ({metrics.error.message}).</p>;
  }
  const m = metrics.data;
  if (m.metric_lines === 0) {
    return (
      <p className="muted run-metrics">
        Records moved: unknown — the log has no Singer metrics (taps and targets built on the Singer SDK log
        them{m.complete ? '' : '; looking again while the run goes on'}).
      </p>
    );
  }
  return (
    <details className="run-metrics">
      <summary>
        <strong>Records moved:</strong> {headline(m)}
        {m.complete ? null : <span className="muted"> (so far)</span>}
      </summary>
      <div className="table-scroll">
        <table className="data">
          <caption>Per stream</caption>
          <thead>
            <tr>
              <th scope="col">Stream</th>
              <th scope="col">Out of the tap</th>
              <th scope="col">Into the target</th>
              <th scope="col">Sync duration</th>
              <th scope="col">HTTP requests</th>
              <th scope="col">HTTP errors</th>
            </tr>
          </thead>
          <tbody>
            {m.by_stream.map((s) => (
              <tr key={`${s.stream}/${s.overflow}`}>
                <th scope="row">
                  {s.overflow ? (
                    <em>other streams</em>
                  ) : s.stream === null ? (
                    <em>no stream named</em>
                  ) : (
                    <code>{s.stream}</code>
                  )}
                </th>
                <td className="num">{count(s.records_extracted)}</td>
                <td className="num">{count(s.records_loaded)}</td>
                <td className="num">{ms(s.sync_duration_ms)}</td>
                <td className="num">{s.http_requests.toLocaleString()}</td>
                <td className={s.http_errors > 0 ? 'num bad' : 'num'}>{s.http_errors.toLocaleString()}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {m.http.length > 0 ? (
        <div className="table-scroll">
          <table className="data">
            <caption>HTTP requests per endpoint</caption>
            <thead>
              <tr>
                <th scope="col">Endpoint</th>
                <th scope="col">Plugin</th>
                <th scope="col">Requests</th>
                <th scope="col">Errors</th>
                <th scope="col">p50</th>
                <th scope="col">p95</th>
              </tr>
            </thead>
            <tbody>
              {m.http.map((e) => (
                <tr key={`${e.plugin}/${e.endpoint}/${e.overflow}`}>
                  <th scope="row">
                    {e.overflow ? <em>other endpoints</em> : <code>{e.endpoint ?? '—'}</code>}
                  </th>
                  <td>{e.plugin}</td>
                  <td className="num">{e.requests.toLocaleString()}</td>
                  <td className={e.errors > 0 ? 'num bad' : 'num'}>{e.errors.toLocaleString()}</td>
                  <td className="num">{ms(e.p50_ms)}</td>
                  <td className="num">{ms(e.p95_ms)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </details>
  );
}
