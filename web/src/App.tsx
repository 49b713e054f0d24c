import { lazy, Suspense, useEffect, useMemo } from 'react';
import { signInPath } from './auth/authStore';
import { ReauthDialog } from './auth/ReauthDialog';
import { SignInPage } from './auth/SignInPage';
import { useAuth } from './auth/useAuth';
import { EmptyState } from './common/EmptyState';
import { Loading } from './common/Loading';
import { useT } from './i18n/I18nProvider';
import { PlaybooksPage } from './playbooks/PlaybooksPage';
import { hasUnsavedWork } from './routing/navigationGuard';
import { Link, matchPath, navigate, useLocation } from './routing/router';
import { useSession } from './session/SessionProvider';
import { homeByRole, permissionFor } from './session/roles';
import { AppShell } from './shell/AppShell';

// The designer (React Flow, dagre) and the dashboard (chart.js) load when first opened.
const DesignerPage = lazy(() => import('./designer/DesignerPage'));
const DesignerIndexPage = lazy(() => import('./designer/DesignerIndexPage'));
const RunsPage = lazy(() => import('./runs/RunsPage'));
const RunDetailPage = lazy(() => import('./runs/RunDetailPage'));
const InboxPage = lazy(() => import('./inbox/InboxPage'));
const DashboardPage = lazy(() => import('./dashboard/DashboardPage'));
const ApiKeysPage = lazy(() => import('./admin/ApiKeysPage'));
const AuditPage = lazy(() => import('./admin/AuditPage'));

function Home() {
  const { role } = useSession();
  useEffect(() => { if (role) navigate(homeByRole[role], { replace: true }); }, [role]);
  return role ? null : <NoAccess />;
}

function NotFound() {
  const t = useT();
  return <section className="page"><EmptyState title={t('app.notFound')} /></section>;
}

/** A page the signed-in role cannot use: say so (the server would refuse its calls with 403 anyway). */
function NoAccess() {
  const t = useT();
  const { role } = useSession();
  return (
    <section className="page" data-testid="no-access">
      <EmptyState title={t('auth.pageForbidden', { role: role ? t(`role.${role}`) : t('auth.unknownRole') })}>
        <p>{t('auth.pageForbiddenHint')}</p>
        {role && <p><Link to={homeByRole[role]}>{t('auth.goHome')}</Link></p>}
      </EmptyState>
    </section>
  );
}

function Page() {
  const { path } = useLocation();
  const session = useSession();
  let params: Record<string, string> | null;
  if (path === '/') return <Home />;
  const needed = permissionFor(path);
  if (needed && !session.can(needed)) return <NoAccess />;
  if (path === '/playbooks') return <PlaybooksPage />;
  if (path === '/designer') return <DesignerIndexPage />;
  if ((params = matchPath('/designer/:id', path))) return <DesignerPage key={params.id} definitionId={params.id} />;
  if (path === '/runs') return <RunsPage />;
  if ((params = matchPath('/runs/:id', path))) return <RunDetailPage key={params.id} instanceId={params.id} />;
  if (path === '/inbox') return <InboxPage />;
  if ((params = matchPath('/inbox/:id', path))) return <InboxPage taskId={params.id} />;
  if (path === '/dashboard') return <DashboardPage />;
  if (path === '/admin/keys') return <ApiKeysPage />;
  if (path === '/admin/audit') return <AuditPage />;
  return <NotFound />;
}

/**
 * Nobody signed in (or the token ran out): the sign-in page, which brings the person back here afterwards. When the
 * token runs out over unsaved work, the page stays and a dialog asks to sign in again on top of it.
 */
export function App() {
  const { session, reason } = useAuth();
  const location = useLocation();
  const here = location.path + (location.search.toString() ? `?${location.search.toString()}` : '');
  const signingIn = location.path === '/sign-in';
  // Asked once when the session ends, while the page with the work is still mounted.
  const signInOverPage = useMemo(() => !session && reason === 'expired' && hasUnsavedWork(), [session, reason]);
  useEffect(() => {
    if (!session && !signingIn && !signInOverPage) navigate(signInPath(here), { replace: true });
  }, [session, signingIn, signInOverPage, here]);

  if (signingIn) return <SignInPage />;
  if (!session && !signInOverPage) return null;
  return (
    <AppShell>
      <Suspense fallback={<Loading />}>
        <Page />
      </Suspense>
      {signInOverPage && <ReauthDialog here={here} />}
    </AppShell>
  );
}
