import { useState } from 'react';
import { usePermission } from '../../../api/get-identity';
import { Empty, Loading } from '../../../components/states';
import type { PluginWritten } from '../../../lib/api-types';
import { useAddPlugin } from '../api/add-plugin';
import { usePlugins } from '../api/get-plugins';
import { singular } from '../model/plugin-types';
import { AddError } from './add-errors';

/** `meltano add <type> <name> --inherit-from <plugin>`: a new name sharing a project plugin's definition. */
export function AddInheritedForm({ type, onAdded }: { type: string; onAdded: (w: PluginWritten) => void }) {
  const plugins = usePlugins();
  const add = useAddPlugin();
  const editProject = usePermission('edit_project');
  const [name, setName] = useState('');
  const [parent, setParent] = useState('');
  if (plugins.isPending) return <Loading what="plugins" />;
  const parents = plugins.data?.[type] ?? [];
  if (parents.length === 0) return <Empty>The project has no {type} to inherit from yet.</Empty>;
  const from = parent || (parents[0]?.name ?? '');
  return (
    <form
      className="stacked"
      aria-label="Add an inheriting plugin"
      onSubmit={(e) => {
        e.preventDefault();
        add.mutate({ type, name: name.trim(), inherit_from: from }, { onSuccess: onAdded });
      }}
    >
      <label>
        Inherit from
        <select value={from} onChange={(e) => setParent(e.target.value)}>
          {parents.map((p) => (
            <option key={p.name}>{p.name}</option>
          ))}
        </select>
      </label>
      <label>
        Name of the new {singular(type)}
        <input
          required
          maxLength={200}
          pattern="[A-Za-z0-9][A-Za-z0-9_.\-]*"
          title="Letters, digits, - _ and ."
          value={name}
          placeholder={`${from}--eu`}
          onChange={(e) => setName(e.target.value)}
        />
      </label>
      <p className="muted">It starts with the settings of {from}; set its own values after adding it.</p>
      <button type="submit" className="primary" disabled={!editProject.allowed || add.isPending}>
        {add.isPending ? 'Adding…' : 'Add'}
      </button>
      <AddError error={add.error} />
    </form>
  );
}
