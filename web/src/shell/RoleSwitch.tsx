import { useT } from '../i18n/I18nProvider';
import { useSession } from '../session/SessionProvider';
import { isRole, roles } from '../session/roles';

/** Until the gateway signs people in (issue 11), embedded mode lets the person act as any role. */
export function RoleSwitch() {
  const t = useT();
  const { role, setRole } = useSession();
  return (
    <label className="header-control">
      <span>{t('session.role')}</span>
      <select value={role} onChange={(e) => isRole(e.target.value) && setRole(e.target.value)} data-testid="role-switch">
        {roles.map((r) => <option key={r} value={r}>{t(`role.${r}`)}</option>)}
      </select>
    </label>
  );
}
