import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { lazy, Suspense } from 'react';
import { BrowserRouter, Route, Routes } from 'react-router';
import { SignInPage } from '../features/auth/sign-in-page';
import { LaunchPage } from '../features/launches/launch-page';
import { JobDetailPage, ScheduleDetailPage } from '../features/pipelines/pipeline-detail-page';
import { PipelinesPage } from '../features/pipelines/pipelines-page';
import { RunsPage } from '../features/runs/runs-page';
import { ApiError, BASE_PATH } from '../lib/api-client';
import { AuthGate } from './auth-gate';
import { Layout } from './layout';
import { NotFoundPage } from './not-found-page';

// The log viewer is the heaviest screen; it loads when a run is opened, not with the pipelines page.
const RunLogPage = lazy(() => import('../features/logs/run-log-page'));
// Account and user management are visited rarely: their own chunks.
const AccountPage = lazy(() =>
  import('../features/auth/account-page').then((m) => ({ default: m.AccountPage })),
);
const UsersPage = lazy(() => import('../features/users/users-page').then((m) => ({ default: m.UsersPage })));
const NotificationsPage = lazy(() =>
  import('../features/notifications/notifications-page').then((m) => ({ default: m.NotificationsPage })),
);
const AuditPage = lazy(() => import('../features/audit/audit-page').then((m) => ({ default: m.AuditPage })));
// The schedule and job editors and the environments view: their own chunks too.
const editor = () => import('../features/pipeline-editor/pipeline-editor-pages');
const NewSchedulePage = lazy(() => editor().then((m) => ({ default: m.NewSchedulePage })));
const EditSchedulePage = lazy(() => editor().then((m) => ({ default: m.EditSchedulePage })));
const NewJobPage = lazy(() => editor().then((m) => ({ default: m.NewJobPage })));
const EditJobPage = lazy(() => editor().then((m) => ({ default: m.EditJobPage })));
const EnvironmentsPage = lazy(() =>
  import('../features/environments/environments-page').then((m) => ({ default: m.EnvironmentsPage })),
);
const SettingsPage = lazy(() =>
  import('../features/workspace/settings-page').then((m) => ({ default: m.SettingsPage })),
);
// Plugin screens (catalog, add, install output, settings form): their own chunks.
const PluginsPage = lazy(() => import('../features/plugins/plugins-page'));
const PluginSettingsPage = lazy(() => import('../features/plugins/plugin-settings-page'));
const AddPluginPage = lazy(() => import('../features/plugins/add-plugin-page'));
const InstallPage = lazy(() => import('../features/plugins/install-page'));
// Deployments and the promotion view: their own chunk.
const deployments = () => import('../features/deployments/deployment-pages');
const DeploymentsPage = lazy(() => deployments().then((m) => ({ default: m.DeploymentsPage })));
const DeploymentPage = lazy(() => deployments().then((m) => ({ default: m.DeploymentPage })));
const PromotePage = lazy(() => deployments().then((m) => ({ default: m.PromotePage })));
const loading = <p role="status">Loading…</p>;

// One retry for what may pass (network, 5xx, 429); none for an answer that will not change.
const FINAL = new Set([400, 401, 403, 404, 410, 422]);
const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      retry: (failures, error) => failures < 1 && !(error instanceof ApiError && FINAL.has(error.status)),
      staleTime: 1000,
    },
  },
});

export function App() {
  return (
    <QueryClientProvider client={queryClient}>
      <BrowserRouter basename={BASE_PATH || '/'}>
        <AuthGate>
          <Layout>
            <Routes>
              <Route path="/login" element={<SignInPage />} />
              <Route
                path="/account"
                element={
                  <Suspense fallback={loading}>
                    <AccountPage />
                  </Suspense>
                }
              />
              <Route
                path="/users"
                element={
                  <Suspense fallback={loading}>
                    <UsersPage />
                  </Suspense>
                }
              />
              <Route
                path="/notifications"
                element={
                  <Suspense fallback={loading}>
                    <NotificationsPage />
                  </Suspense>
                }
              />
              <Route
                path="/audit"
                element={
                  <Suspense fallback={loading}>
                    <AuditPage />
                  </Suspense>
                }
              />
              <Route
                path="/deployments"
                element={
                  <Suspense fallback={loading}>
                    <DeploymentsPage />
                  </Suspense>
                }
              />
              <Route
                path="/deployments/:id"
                element={
                  <Suspense fallback={loading}>
                    <DeploymentPage />
                  </Suspense>
                }
              />
              <Route
                path="/promote"
                element={
                  <Suspense fallback={loading}>
                    <PromotePage />
                  </Suspense>
                }
              />
              <Route path="/" element={<PipelinesPage />} />
              <Route path="/schedules/:name" element={<ScheduleDetailPage />} />
              <Route path="/jobs/:name" element={<JobDetailPage />} />
              <Route
                path="/schedules/new"
                element={
                  <Suspense fallback={loading}>
                    <NewSchedulePage />
                  </Suspense>
                }
              />
              <Route
                path="/schedules/:name/edit"
                element={
                  <Suspense fallback={loading}>
                    <EditSchedulePage />
                  </Suspense>
                }
              />
              <Route
                path="/jobs/new"
                element={
                  <Suspense fallback={loading}>
                    <NewJobPage />
                  </Suspense>
                }
              />
              <Route
                path="/jobs/:name/edit"
                element={
                  <Suspense fallback={loading}>
                    <EditJobPage />
                  </Suspense>
                }
              />
              <Route
                path="/environments"
                element={
                  <Suspense fallback={loading}>
                    <EnvironmentsPage />
                  </Suspense>
                }
              />
              <Route
                path="/settings"
                element={
                  <Suspense fallback={loading}>
                    <SettingsPage />
                  </Suspense>
                }
              />
              <Route path="/runs" element={<RunsPage />} />
              <Route path="/launches/:id" element={<LaunchPage />} />
              <Route
                path="/plugins"
                element={
                  <Suspense fallback={loading}>
                    <PluginsPage />
                  </Suspense>
                }
              />
              <Route
                path="/plugins/add/:type"
                element={
                  <Suspense fallback={loading}>
                    <AddPluginPage />
                  </Suspense>
                }
              />
              <Route
                path="/plugins/:type/:name"
                element={
                  <Suspense fallback={loading}>
                    <PluginSettingsPage />
                  </Suspense>
                }
              />
              <Route
                path="/installs/:id"
                element={
                  <Suspense fallback={loading}>
                    <InstallPage />
                  </Suspense>
                }
              />
              <Route
                path="/runs/:id"
                element={
                  <Suspense fallback={<p role="status">Loading…</p>}>
                    <RunLogPage />
                  </Suspense>
                }
              />
              <Route path="*" element={<NotFoundPage />} />
            </Routes>
          </Layout>
        </AuthGate>
      </BrowserRouter>
    </QueryClientProvider>
  );
}
