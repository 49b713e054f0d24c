import { Link, useLocation } from '../routing/router';
import { useT } from '../i18n/I18nProvider';
import type { MessageKey } from '../i18n/en';

const sections: { path: string; label: MessageKey }[] = [
  { path: '/playbooks', label: 'nav.playbooks' },
  { path: '/designer', label: 'nav.designer' },
  { path: '/runs', label: 'nav.runs' },
  { path: '/inbox', label: 'nav.inbox' },
  { path: '/dashboard', label: 'nav.dashboard' },
];

export function NavigationBar() {
  const t = useT();
  const { path } = useLocation();
  return (
    <nav className="navigation" aria-label={t('nav.label')}>
      {sections.map((section) => {
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
