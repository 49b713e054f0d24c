import { Link, useLocation } from '../routing/router';
import { useT } from '../i18n/I18nProvider';
import type { MessageKey } from '../i18n/en';
import { useSession } from '../session/SessionProvider';
import type { Permission } from '../session/roles';

/** The sections, each shown to the roles that can use it (the server refuses the rest anyway). */
export const sections: { path: string; label: MessageKey; permission: Permission }[] = [
  { path: '/playbooks', label: 'nav.playbooks', permission: 'viewPlaybooks' },
  { path: '/designer', label: 'nav.designer', permission: 'design' },
  { path: '/runs', label: 'nav.runs', permission: 'viewRuns' },
  { path: '/inbox', label: 'nav.inbox', permission: 'workTasks' },
  { path: '/dashboard', label: 'nav.dashboard', permission: 'viewDashboard' },
  { path: '/admin/keys', label: 'nav.apiKeys', permission: 'manageKeys' },
  { path: '/admin/audit', label: 'nav.audit', permission: 'viewAudit' },
];

export function NavigationBar() {
  const t = useT();
  const session = useSession();
  const { path } = useLocation();
  return (
    <nav className="navigation" aria-label={t('nav.label')}>
      {sections.filter((section) => session.can(section.permission)).map((section) => {
        const current = path === section.path || path.startsWith(`${section.path}/`);
        return (
          <Link key={section.path} to={section.path} className={current ? 'nav-link current' : 'nav-link'} aria-current={current ? 'page' : undefined}>
            {t(section.label)}
          </Link>
        );
      })}
    </nav>
  );
}
