import type { ReactNode } from 'react';
import { useT } from '../i18n/I18nProvider';
import { userTimeZone } from '../i18n/formatting';
import { Link } from '../routing/router';
import { LanguageSwitch } from './LanguageSwitch';
import { NavigationBar } from './NavigationBar';
import { UserMenu } from './UserMenu';

export function AppShell({ children }: { children: ReactNode }) {
  const t = useT();
  return (
    <div className="app">
      <header className="app-header">
        <Link to="/" className="brand">{t('app.name')}</Link>
        <NavigationBar />
        <div className="header-controls">
          <LanguageSwitch />
          <span className="time-zone" title={t('session.timeZone')}>{userTimeZone()}</span>
          <UserMenu />
        </div>
      </header>
      <main className="app-main">{children}</main>
    </div>
  );
}
