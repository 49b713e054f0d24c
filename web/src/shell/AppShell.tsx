import type { ReactNode } from 'react';
import { useT } from '../i18n/I18nProvider';
import { userTimeZone } from '../i18n/formatting';
import { Link } from '../routing/router';
import { LanguageSwitch } from './LanguageSwitch';
import { NavigationBar } from './NavigationBar';
import { RoleSwitch } from './RoleSwitch';
import { UserPicker } from './UserPicker';

export function AppShell({ children }: { children: ReactNode }) {
  const t = useT();
  return (
    <div className="app">
      <header className="app-header">
        <Link to="/" className="brand">{t('app.name')}</Link>
        <NavigationBar />
        <div className="header-controls">
          <RoleSwitch />
          <UserPicker />
          <LanguageSwitch />
          <span className="time-zone" title={t('session.timeZone')}>{userTimeZone()}</span>
        </div>
      </header>
      <main className="app-main">{children}</main>
    </div>
  );
}
