import { useState } from 'react';
import { usePermission } from '../../../api/get-identity';
import type { PluginWritten } from '../../../lib/api-types';
import { useAddPlugin } from '../api/add-plugin';
import { singular } from '../model/plugin-types';
import { AddError } from './add-errors';

/** `meltano add --custom`: a plugin the catalog does not know, with its own namespace, pip_url and executable. */
export function AddCustomForm({ type, onAdded }: { type: string; onAdded: (w: PluginWritten) => void }) {
  const add = useAddPlugin();
  const editProject = usePermission('edit_project');
  const [form, setForm] = useState({ name: '', namespace: '', pip_url: '', executable: '' });
  const field = (key: keyof typeof form) => ({
    value: form[key],
    onChange: (e: { target: { value: string } }) => setForm({ ...form, [key]: e.target.value }),
  });
  const defaultNamespace = form.name.trim().replace(/[^A-Za-z0-9]+/g, '_');
  return (
    <form
      className="stacked"
      aria-label={`Add a custom ${singular(type)}`}
      onSubmit={(e) => {
        e.preventDefault();
        const optional = (v: string) => (v.trim() === '' ? undefined : v.trim());
        add.mutate(
          {
            type,
            name: form.name.trim(),
            custom: true,
            namespace: optional(form.namespace) ?? defaultNamespace,
            ...(optional(form.pip_url) ? { pip_url: form.pip_url.trim() } : {}),
            ...(optional(form.executable) ? { executable: form.executable.trim() } : {}),
          },
          { onSuccess: onAdded },
        );
      }}
    >
      <label>
        Name
        <input required maxLength={200} placeholder="tap-my-api" {...field('name')} />
      </label>
      <label>
        Namespace <span className="muted">(default {defaultNamespace || 'from the name'})</span>
        <input maxLength={200} placeholder={defaultNamespace} {...field('namespace')} />
      </label>
      <label>
        pip_url <span className="muted">(what pip installs; a package, a git URL or a path)</span>
        <input
          maxLength={2000}
          placeholder="git+https://github.com/me/tap-my-api.git"
          {...field('pip_url')}
        />
      </label>
      <label>
        Executable <span className="muted">(default: the name)</span>
        <input maxLength={500} placeholder={form.name || 'tap-my-api'} {...field('executable')} />
      </label>
      <button type="submit" className="primary" disabled={!editProject.allowed || add.isPending}>
        {add.isPending ? 'Adding…' : 'Add'}
      </button>
      <AddError error={add.error} />
    </form>
  );
}
