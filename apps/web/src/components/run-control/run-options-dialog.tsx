import { SlidersHorizontal } from 'lucide-react';
import { type FormEvent, useId, useState } from 'react';
import { useNavigate } from 'react-router';
import { ConfirmDialog, useConfirmDialog } from '../confirm-dialog';
import { Loading } from '../states';
import { useRunOptions } from './get-run-options';
import { ALL_RUN_OPTIONS, RUN_OPTION_TEXT, type RunOptionName, runOptionsFrom } from './run-options';
import { type PipelineRef, useRunPipeline } from './run-pipeline';
import { useCanLaunch } from './use-can-launch';
import './run-options.css';

const FLAGS = ['full_refresh', 'refresh_catalog', 'no_state_update', 'dry_run'] as const;

/**
 * "Run with options…": Meltano's run options that the CLI found here has for this pipeline (by its
 * version, and `meltano elt` for an ELT schedule), then the run. A full refresh says what it does and
 * asks once more.
 */
export function RunWithOptionsButton({ pipeline, running }: { pipeline: PipelineRef; running: boolean }) {
  const dialog = useConfirmDialog();
  const operate = useCanLaunch();
  const why = !operate.allowed ? (operate.reason ?? 'Not allowed') : running ? 'Already running' : undefined;
  return (
    <>
      <button type="button" disabled={why !== undefined} title={why} onClick={dialog.open}>
        <SlidersHorizontal size={14} aria-hidden="true" /> Run with options…
      </button>
      <OptionsDialog control={dialog} pipeline={pipeline} />
    </>
  );
}

function OptionsDialog({
  control,
  pipeline,
}: {
  control: ReturnType<typeof useConfirmDialog>;
  pipeline: PipelineRef;
}) {
  const id = useId();
  const navigate = useNavigate();
  const run = useRunPipeline();
  const offered = useRunOptions(pipeline, control.isOpen);
  const [flags, setFlags] = useState<Partial<Record<RunOptionName, boolean>>>({});
  const [suffix, setSuffix] = useState('');
  const [strategy, setStrategy] = useState<'' | 'auto' | 'merge' | 'overwrite'>('');
  const [timeout, setTimeoutText] = useState('');
  const [confirmingFull, setConfirmingFull] = useState(false);
  const options = runOptionsFrom({ flags, state_id_suffix: suffix, state_strategy: strategy, timeout });
  const has = new Set(offered.data?.options ?? []);
  const lacking = ALL_RUN_OPTIONS.filter((name) => !has.has(name));
  const flagOf = (name: RunOptionName) =>
    name === 'dry_run' && offered.data?.command === 'elt' ? '--dry' : RUN_OPTION_TEXT[name].flag;
  const start = () =>
    run.mutate(
      { ...pipeline, options },
      {
        onSuccess: (launch) => {
          control.close();
          navigate(`/launches/${launch.id}`);
        },
      },
    );
  const submit = (e?: FormEvent) => {
    e?.preventDefault();
    if (options.full_refresh && !confirmingFull) setConfirmingFull(true);
    else start();
  };
  return (
    <ConfirmDialog
      control={control}
      title={`Run ${pipeline.name} with options`}
      confirmLabel={
        options.full_refresh
          ? confirmingFull
            ? 'Yes, extract everything again'
            : 'Run with full refresh…'
          : 'Run now'
      }
      pendingLabel="Starting…"
      pending={run.isPending}
      danger={confirmingFull}
      error={run.isError ? run.error.message : undefined}
      onConfirm={offered.isSuccess ? () => submit() : undefined}
    >
      {offered.isPending ? <Loading what="the options of this Meltano" /> : null}
      {offered.isError ? (
        <p role="alert" className="inline-error">
          {offered.error.message}
        </p>
      ) : null}
      {offered.data ? (
        <form id={`${id}-form`} className="run-options-form" onSubmit={submit}>
          <p className="muted">
            {offered.data.meltano_version
              ? `Meltano ${offered.data.meltano_version}`
              : 'A Meltano whose version could not be told'}{' '}
            runs this as <code>meltano {offered.data.command}</code>
            {pipeline.kind === 'schedule' ? (
              <>
                {' '}
                (through <code>meltano schedule run</code>)
              </>
            ) : null}
            .
          </p>
          {FLAGS.filter((name) => has.has(name)).map((name) => (
            <label key={name} className="check">
              <input
                type="checkbox"
                checked={flags[name] === true}
                onChange={(e) => {
                  setFlags({ ...flags, [name]: e.target.checked });
                  if (name === 'full_refresh') setConfirmingFull(false);
                }}
              />
              <span>
                {RUN_OPTION_TEXT[name].label} <code>{flagOf(name)}</code>
                <span className="muted hint">{RUN_OPTION_TEXT[name].help}</span>
              </span>
            </label>
          ))}
          {has.has('state_id_suffix') ? (
            <label>
              {RUN_OPTION_TEXT.state_id_suffix.label} <code>--state-id-suffix</code>
              <input
                value={suffix}
                pattern="[A-Za-z0-9_.\-]+"
                maxLength={100}
                onChange={(e) => setSuffix(e.target.value)}
                aria-describedby={`${id}-suffix-help`}
              />
              <span id={`${id}-suffix-help`} className="muted hint">
                {RUN_OPTION_TEXT.state_id_suffix.help}
              </span>
            </label>
          ) : null}
          {has.has('state_strategy') ? (
            <label>
              {RUN_OPTION_TEXT.state_strategy.label} <code>--state-strategy</code>
              <select value={strategy} onChange={(e) => setStrategy(e.target.value as typeof strategy)}>
                <option value="">Meltano’s default</option>
                <option value="auto">auto</option>
                <option value="merge">merge</option>
                <option value="overwrite">overwrite</option>
              </select>
            </label>
          ) : null}
          {has.has('timeout') ? (
            <label>
              {RUN_OPTION_TEXT.timeout.label} <code>--timeout</code>
              <input
                type="number"
                min={1}
                step={1}
                value={timeout}
                onChange={(e) => setTimeoutText(e.target.value)}
              />
            </label>
          ) : null}
          {lacking.length > 0 ? (
            <p className="muted">
              Not offered by this Meltano for <code>meltano {offered.data.command}</code>:{' '}
              {lacking.map((name) => RUN_OPTION_TEXT[name].label.replace(/ \(seconds\)$/, '')).join(', ')}.
            </p>
          ) : null}
          {confirmingFull ? (
            <p role="alert" className="warn-box">
              A full refresh ignores the state earlier runs saved: every stream is extracted again from the
              start, which can take much longer and load duplicates into a target that appends.
            </p>
          ) : null}
        </form>
      ) : null}
    </ConfirmDialog>
  );
}
