import { useId } from 'react';
import { useSearchParams } from 'react-router';
import { usePermission } from '../../../api/get-identity';
import { ErrorState, Loading } from '../../../components/states';
import type { CatalogPlugin, PluginWritten } from '../../../lib/api-types';
import { useAddPlugin } from '../api/add-plugin';
import { useCatalogDefinition } from '../api/get-catalog-definition';
import { usePluginCatalog } from '../api/get-plugin-catalog';
import { usePlugins } from '../api/get-plugins';
import { orderedVariants, variantLabel } from '../model/catalog-search';
import { singular } from '../model/plugin-types';
import { AddError } from './add-errors';
import { CatalogDefinitionDetails } from './catalog-definition-details';
import { CatalogList, CatalogSource } from './catalog-list';
import { PluginLogo } from './plugin-logo';

/** Pick a plugin from the catalog (or come with `?name=`), choose its variant, see its definition, add it. */
export function AddFromCatalog({ type, onAdded }: { type: string; onAdded: (w: PluginWritten) => void }) {
  const [params] = useSearchParams();
  const catalog = usePluginCatalog();
  const plugins = usePlugins();
  const name = params.get('name') ?? '';
  if (catalog.isPending) return <Loading what="the catalog" />;
  if (catalog.isError)
    return <ErrorState what="the catalog" error={catalog.error} retry={() => void catalog.refetch()} />;
  const chosen = catalog.data.plugins[type]?.find((p) => p.name === name);
  if (!chosen) {
    const installed = new Set(Object.values(plugins.data ?? {}).flatMap((list) => list.map((p) => p.name)));
    return (
      <>
        {name ? (
          <p className="warn-text" role="note">
            The catalog has no {singular(type)} named “{name}”; pick one below, or add it as a custom plugin.
          </p>
        ) : null}
        <CatalogList type={type} catalog={catalog.data} installedNames={installed} />
      </>
    );
  }
  return (
    <>
      <CatalogSource catalog={catalog.data} />
      <ChosenPlugin plugin={chosen} onAdded={onAdded} />
    </>
  );
}

function ChosenPlugin({ plugin, onAdded }: { plugin: CatalogPlugin; onAdded: (w: PluginWritten) => void }) {
  const [params, setParams] = useSearchParams();
  const variants = orderedVariants(plugin);
  const variant =
    variants.find((v) => v.name === params.get('variant'))?.name ??
    variants[0]?.name ??
    plugin.default_variant;
  const definition = useCatalogDefinition(plugin.type, plugin.name, variant);
  const add = useAddPlugin();
  const editProject = usePermission('edit_project');
  const id = useId();
  return (
    <form
      className="add-form"
      aria-label={`Add ${plugin.name}`}
      onSubmit={(e) => {
        e.preventDefault();
        add.mutate({ type: plugin.type, name: plugin.name, variant }, { onSuccess: onAdded });
      }}
    >
      <div className="chosen">
        <PluginLogo name={plugin.name} label={plugin.label} url={plugin.logo_url} />
        <div>
          <strong>{plugin.label ?? plugin.name}</strong> <code>{plugin.name}</code>
          {plugin.description ? <p className="muted">{plugin.description}</p> : null}
        </div>
        <button type="button" className="link-button" onClick={() => setParams({}, { replace: true })}>
          Choose another
        </button>
      </div>
      <label htmlFor={`${id}-variant`}>Variant</label>
      <select
        id={`${id}-variant`}
        value={variant}
        onChange={(e) => setParams({ name: plugin.name, variant: e.target.value }, { replace: true })}
      >
        {variants.map((v) => (
          <option key={v.name} value={v.name}>
            {variantLabel(plugin, v)}
          </option>
        ))}
      </select>
      {definition.isPending ? (
        <Loading what={`the ${variant} definition`} />
      ) : definition.isError ? (
        <ErrorState what="the definition" error={definition.error} retry={() => void definition.refetch()} />
      ) : (
        <CatalogDefinitionDetails definition={definition.data} />
      )}
      <div className="dialog-actions start">
        <button
          type="submit"
          className="primary"
          disabled={!editProject.allowed || add.isPending}
          title={editProject.allowed ? undefined : (editProject.reason ?? 'Not allowed')}
        >
          {add.isPending ? 'Adding…' : `Add ${plugin.name}`}
        </button>
      </div>
      <AddError error={add.error} />
    </form>
  );
}
