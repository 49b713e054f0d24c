import { lazy, Suspense, useEffect } from 'react';
import { EmptyState } from './common/EmptyState';
import { Loading } from './common/Loading';
import { useT } from './i18n/I18nProvider';
import { PlaybooksPage } from './playbooks/PlaybooksPage';
import { matchPath, navigate, useLocation } from './routing/router';
import { useSession } from './session/SessionProvider';
import type { Role } from './session/roles';
import { AppShell } from './shell/AppShell';

// The designer (React Flow, dagre) and the dashboard (chart.js) load when first opened.
const DesignerPage = lazy(() => import('./designer/DesignerPage'));
const DesignerIndexPage = lazy(() => import('./designer/DesignerIndexPage'));
const RunsPage = lazy(() => import('./runs/RunsPage'));
const RunDetailPage = lazy(() => import('./runs/RunDetailPage'));
const InboxPage = lazy(() => import('./inbox/InboxPage'));
const DashboardPage = lazy(() => import('./dashboard/DashboardPage'));

const homeByRole: Record<Role, string> = { 'cs-ops': '/playbooks', csm: '/inbox', sre: '/runs', admin: '/playbooks' };

function Home() {
  const { role } = useSession();
  useEffect(() => navigate(homeByRole[role], { replace: true }), [role]);
  return null;
}

function NotFound() {
  const t = useT();
  return <section className="page"><EmptyState title={t('app.notFound')} /></section>;
}

function Page() {
  const { path } = useLocation();
  let params: Record<string, string> | null;
  if (path === '/') return <Home />;
  if (path === '/playbooks') return <PlaybooksPage />;
  if (path === '/designer') return <DesignerIndexPage />;
  if ((params = matchPath('/designer/:id', path))) return <DesignerPage key={params.id} definitionId={params.id} />;
  if (path === '/runs') return <RunsPage />;
  if ((params = matchPath('/runs/:id', path))) return <RunDetailPage key={params.id} instanceId={params.id} />;
  if (path === '/inbox') return <InboxPage />;
  if ((params = matchPath('/inbox/:id', path))) return <InboxPage taskId={params.id} />;
  if (path === '/dashboard') return <DashboardPage />;
  return <NotFound />;
}

export function App() {
  return (
    <AppShell>
      <Suspense fallback={<Loading />}>
        <Page />
      </Suspense>
    </AppShell>
  );
}
