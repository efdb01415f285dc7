import { useId } from 'react';
import { appendBlock, moveItem, newTask, type TaskRow, unknownBlocks } from '../model/job-form';
import type { BlockGroup } from '../model/task-choices';
import { describedBy, FieldError } from './field-error';

function TaskEditor({
  task,
  index,
  count,
  groups,
  known,
  error,
  onText,
  onMove,
  onRemove,
}: {
  task: TaskRow;
  index: number;
  count: number;
  groups: BlockGroup[];
  known: ReadonlySet<string> | null;
  /** The server's refusal of this task. */
  error: string | null;
  onText: (text: string) => void;
  onMove: (delta: number) => void;
  onRemove: () => void;
}) {
  const id = useId();
  const n = index + 1;
  const unknown = known ? unknownBlocks(task.text, known) : [];
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedIds = [error ? errorId : null, unknown.length > 0 ? hintId : null].filter(Boolean).join(' ');
  return (
    <li className="task-row">
      <label htmlFor={`${id}-text`}>Task {n}</label>
      <input
        id={`${id}-text`}
        className="mono task-text"
        value={task.text}
        placeholder="tap-x target-y dbt:run"
        spellCheck={false}
        autoComplete="off"
        maxLength={2000}
        onChange={(e) => onText(e.target.value)}
        {...(error ? { 'aria-invalid': true as const } : {})}
        {...(describedIds ? { 'aria-describedby': describedIds } : {})}
      />
      <span className="task-tools">
        <select
          aria-label={`Add a plugin to task ${n}`}
          value=""
          onChange={(e) => {
            if (e.target.value) onText(appendBlock(task.text, e.target.value));
          }}
        >
          <option value="">Add plugin…</option>
          {groups.map((g) => (
            <optgroup key={g.label} label={g.label}>
              {g.blocks.map((b) => (
                <option key={b} value={b}>
                  {b}
                </option>
              ))}
            </optgroup>
          ))}
        </select>
        <button
          type="button"
          aria-label={`Move task ${n} up`}
          disabled={index === 0}
          onClick={() => onMove(-1)}
        >
          ↑
        </button>
        <button
          type="button"
          aria-label={`Move task ${n} down`}
          disabled={index === count - 1}
          onClick={() => onMove(1)}
        >
          ↓
        </button>
        <button
          type="button"
          className="link-button danger"
          aria-label={`Remove task ${n}`}
          onClick={onRemove}
        >
          Remove
        </button>
      </span>
      <FieldError id={errorId} message={error} />
      {unknown.length > 0 ? (
        <span id={hintId} className="warn-text task-hint">
          Not a plugin of this project: {unknown.join(', ')}. Saving will be refused; add the plugin first.
        </span>
      ) : null}
    </li>
  );
}

/**
 * A job's tasks, in the order `meltano run` runs them. Each is typed as Meltano writes it, or built
 * from the project's plugins (and their commands) with the picker.
 */
export function TaskListEditor({
  tasks,
  onChange,
  groups,
  known,
  error,
  errorIndex = null,
}: {
  tasks: TaskRow[];
  onChange: (tasks: TaskRow[]) => void;
  groups: BlockGroup[];
  /** Plugin names of the project, to point out typos; null while they load. */
  known: ReadonlySet<string> | null;
  error?: string | undefined;
  /** Which task `error` is about (the server names `tasks[i]`); null: the list as a whole. */
  errorIndex?: number | null;
}) {
  const onTask = errorIndex !== null && errorIndex < tasks.length;
  const id = useId();
  const errorId = `${id}-error`;
  return (
    <fieldset className="task-list" {...(onTask ? {} : describedBy(errorId, error))}>
      <legend>Tasks</legend>
      <p className="muted hint">
        <code>meltano run</code> runs them in order. A task is plugin names separated by spaces: an extractor,
        any mappers, a loader, then utilities or commands such as <code>dbt-postgres:run</code>.
      </p>
      <ol>
        {tasks.map((task, i) => (
          <TaskEditor
            key={task.id}
            task={task}
            index={i}
            count={tasks.length}
            groups={groups}
            known={known}
            error={onTask && i === errorIndex ? (error ?? null) : null}
            onText={(text) => onChange(tasks.map((t) => (t.id === task.id ? { ...t, text } : t)))}
            onMove={(delta) => onChange(moveItem(tasks, i, delta))}
            onRemove={() => onChange(tasks.filter((t) => t.id !== task.id))}
          />
        ))}
      </ol>
      <button type="button" onClick={() => onChange([...tasks, newTask()])}>
        Add task
      </button>
      <FieldError id={errorId} message={onTask ? null : error} />
    </fieldset>
  );
}
