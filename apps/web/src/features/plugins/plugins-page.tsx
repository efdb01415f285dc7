import { Link, useSearchParams } from 'react-router';
import { usePermission } from '../../api/get-identity';
import { useProject } from '../../api/get-project';
import { Breadcrumbs } from '../../components/breadcrumbs';
import { useCanLaunch } from '../../components/run-control/use-can-launch';
import { ErrorState, Loading } from '../../components/states';
import { usePageTitle } from '../../lib/use-page-title';
import { usePluginCatalog } from './api/get-plugin-catalog';
import { usePlugins } from './api/get-plugins';
import { CatalogList } from './components/catalog-list';
import { InstalledPlugins } from './components/installed-plugins';
import { PluginTypeTabs } from './components/plugin-type-tabs';
import { isAddable, pluginTypeTabs, singular } from './model/plugin-types';

/** The project's plugins of one type, and the catalog to add more from. */
export default function PluginsPage() {
  usePageTitle('Plugins');
  const plugins = usePlugins();
  const catalog = usePluginCatalog();
  const project = useProject();
  const editProject = usePermission('edit_project');
  const operate = useCanLaunch();
  const [params] = useSearchParams();
  const type = params.get('type') ?? 'extractors';

  if (plugins.isPending) return <Loading what="plugins" />;
  if (plugins.isError)
    return <ErrorState what="plugins" error={plugins.error} retry={() => void plugins.refetch()} />;
  const all = Object.values(plugins.data).flat();
  const ofType = plugins.data[type] ?? [];
  const counts = Object.fromEntries(Object.entries(plugins.data).map(([t, list]) => [t, list.length]));
  const installedNames = new Set(all.map((p) => p.name));
  return (
    <>
      <Breadcrumbs items={[{ label: 'Plugins' }]} />
      <div className="page-head">
        <h2>Plugins</h2>
        <span className="muted">As meltano.yml and its lock files define them</span>
      </div>
      <PluginTypeTabs types={pluginTypeTabs(Object.keys(plugins.data))} current={type} counts={counts} />
      {!editProject.allowed || !operate.allowed ? (
        <ul className="permission-notes" aria-label="What you cannot do here">
          {!editProject.allowed ? <li>Adding and removing plugins: {editProject.reason}</li> : null}
          {!operate.allowed ? <li>Installing plugins: {operate.reason}</li> : null}
        </ul>
      ) : null}
      <InstalledPlugins
        type={type}
        plugins={ofType}
        all={all}
        environments={project.data?.environments ?? []}
      />
      {isAddable(type) ? (
        <>
          {editProject.allowed ? (
            <p className="add-links">
              Not in the catalog?{' '}
              <Link to={`/plugins/add/${encodeURIComponent(type)}?mode=custom`}>
                Add a custom {singular(type)}
              </Link>
              {ofType.length > 0 ? (
                <>
                  {' '}
                  or{' '}
                  <Link to={`/plugins/add/${encodeURIComponent(type)}?mode=inherit`}>
                    one inheriting from a project {singular(type)}
                  </Link>
                </>
              ) : null}
              .
            </p>
          ) : null}
          {catalog.isPending ? (
            <Loading what="the catalog" />
          ) : catalog.isError ? (
            <ErrorState what="the catalog" error={catalog.error} retry={() => void catalog.refetch()} />
          ) : (
            <CatalogList type={type} catalog={catalog.data} installedNames={installedNames} />
          )}
        </>
      ) : (
        <p className="muted">Meltano no longer adds {type}; these are kept as the project defines them.</p>
      )}
    </>
  );
}
