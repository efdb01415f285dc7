import type { UseMutationResult } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import type { Written } from '../../lib/api-types';
import { writeProblem } from './model/write-error';

export interface EntityFormOptions<E extends { version: string }, F extends { name: string }, Field, C, P> {
  /** The entity as last read (absent: a new one). The form is filled from it once. */
  latest: E | undefined;
  /** Reads it again now (after a 409, the polled copy may still be the old one). */
  reloadLatest: (() => Promise<E | undefined>) | undefined;
  toForm: (entity: E) => F;
  emptyForm: () => F;
  /** The fields the form shows: a server error naming one is shown beside it. */
  fields: readonly Field[];
  errorsOf: (form: F) => Partial<Record<Field & string, string>>;
  createBody: (form: F) => C;
  patchBody: (form: F, base: F) => P;
  create: UseMutationResult<Written, Error, C>;
  update: UseMutationResult<Written, Error, { name: string; version: string; patch: P }>;
  /** After a save (or nothing to save): where to go, by the entity's name. */
  done: (name: string) => void;
}

/**
 * What the schedule and job editors share: the form filled once from the entity, the version it was
 * based on (a newer one on disk is pointed out, not merged), validation shown after a first submit,
 * the server's field errors beside their field, reload after a conflict, and create or patch on submit
 * (a patch holds only what changed).
 */
export function useEntityForm<
  E extends { version: string },
  F extends { name: string },
  Field,
  C,
  P extends object,
>(o: EntityFormOptions<E, F, Field, C, P>) {
  const [base, setBase] = useState(() =>
    o.latest ? { form: o.toForm(o.latest), version: o.latest.version } : null,
  );
  const [form, setForm] = useState<F>(() => base?.form ?? o.emptyForm());
  const [tried, setTried] = useState(false);

  const mutation = base ? o.update : o.create;
  const problem = mutation.isError ? writeProblem(mutation.error) : null;
  const errors: Partial<Record<Field & string, string>> = tried ? o.errorsOf(form) : {};
  // `tasks[1]` belongs to the `tasks` field; the editor puts it beside that item.
  const field = problem?.field?.replace(/\[\d+\]$/, '') ?? null;
  const fieldProblem = problem?.kind === 'field' && o.fields.includes(field as Field);
  if (fieldProblem && problem) errors[field as Field & string] ??= problem.message;

  return {
    base,
    form,
    setForm,
    mutation,
    problem,
    errors,
    fieldProblem,
    /** The item of a list field the server named (`tasks[1]` → 1), else null. */
    problemIndex: fieldProblem ? itemIndex(problem?.field) : null,
    /** A field the server named is marked until the form changes again. */
    edited: () => {
      if (fieldProblem) mutation.reset();
    },
    changedOnDisk: base !== null && o.latest !== undefined && o.latest.version !== base.version,
    async reload() {
      const current = (await o.reloadLatest?.()) ?? o.latest;
      if (!current) return;
      const fresh = o.toForm(current);
      setBase({ form: fresh, version: current.version });
      setForm(fresh);
      o.update.reset();
    },
    submit(e: FormEvent) {
      e.preventDefault();
      setTried(true);
      if (Object.keys(o.errorsOf(form)).length > 0) return;
      if (!base) {
        o.create.mutate(o.createBody(form), { onSuccess: (written) => o.done(written.name) });
        return;
      }
      const patch = o.patchBody(form, base.form);
      if (Object.keys(patch).length === 0) {
        o.done(base.form.name);
        return;
      }
      o.update.mutate(
        { name: base.form.name, version: base.version, patch },
        { onSuccess: (written) => o.done(written.name) },
      );
    },
  };
}

function itemIndex(field: string | null | undefined): number | null {
  const match = field ? /\[(\d+)\]$/.exec(field) : null;
  return match ? Number(match[1]) : null;
}
