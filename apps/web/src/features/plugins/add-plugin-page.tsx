import { useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { usePermission } from '../../api/get-identity';
import { Breadcrumbs } from '../../components/breadcrumbs';
import { Empty } from '../../components/states';
import type { PluginWritten } from '../../lib/api-types';
import { usePageTitle } from '../../lib/use-page-title';
import { AddCustomForm } from './components/add-custom-form';
import { AddFromCatalog } from './components/add-from-catalog';
import { AddInheritedForm } from './components/add-inherited-form';
import { AddedPlugin } from './components/added-plugin';
import { isAddable, singular } from './model/plugin-types';

const MODES = [
  { mode: 'catalog', label: 'From the catalog' },
  { mode: 'inherit', label: 'Inheriting from a project plugin' },
  { mode: 'custom', label: 'Custom (not in the catalog)' },
] as const;
type Mode = (typeof MODES)[number]['mode'];

/** `meltano add`: from the catalog with a variant, inheriting from a project plugin, or custom; then install. */
export default function AddPluginPage() {
  const type = useParams().type ?? '';
  usePageTitle(`Add ${type}`, 'Plugins');
  const [params] = useSearchParams();
  const mode: Mode = MODES.find((m) => m.mode === params.get('mode'))?.mode ?? 'catalog';
  const editProject = usePermission('edit_project');
  const [added, setAdded] = useState<PluginWritten | null>(null);
  const what = singular(type);
  if (!isAddable(type)) return <Empty>Meltano cannot add plugins of type “{type}”.</Empty>;
  return (
    <>
      <Breadcrumbs
        items={[
          { label: 'Plugins', to: '/plugins' },
          { label: type, to: `/plugins?type=${encodeURIComponent(type)}` },
          { label: 'Add' },
        ]}
      />
      <div className="page-head">
        <h2>
          Add {/^[aeiou]/.test(what) ? 'an' : 'a'} {what}
        </h2>
        <Link to={`/plugins?type=${encodeURIComponent(type)}`}>All {type}</Link>
      </div>
      {added ? (
        <AddedPlugin written={added} onAnother={() => setAdded(null)} />
      ) : (
        <>
          {!editProject.allowed ? (
            <p className="warn-box" role="note">
              You cannot add plugins here: {editProject.reason}
            </p>
          ) : null}
          <nav aria-label="How to add it" className="type-tabs">
            {MODES.map((m) => (
              <Link
                key={m.mode}
                to={{ search: `?mode=${m.mode}` }}
                replace
                className="type-tab"
                aria-current={m.mode === mode ? 'page' : undefined}
              >
                {m.label}
              </Link>
            ))}
          </nav>
          {mode === 'catalog' ? (
            <AddFromCatalog type={type} onAdded={setAdded} />
          ) : mode === 'inherit' ? (
            <AddInheritedForm type={type} onAdded={setAdded} />
          ) : (
            <AddCustomForm type={type} onAdded={setAdded} />
          )}
        </>
      )}
    </>
  );
}
