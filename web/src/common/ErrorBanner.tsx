import { ApiError } from '../api/http';
import { useAuth } from '../auth/useAuth';
import { useT } from '../i18n/I18nProvider';
import { isRole } from '../session/roles';

/**
 * Says what went wrong in the server's words (problem details), with each field's problem. A 403 says plainly that
 * the signed-in role may not do this (the server's detail underneath), rather than looking like a fault.
 */
export function ErrorBanner({ error, onDismiss }: { error: unknown; onDismiss?: () => void }) {
  const t = useT();
  const { session } = useAuth();
  if (!error) return null;
  const apiError = error instanceof ApiError ? error : null;
  const unreachable = error instanceof TypeError;
  const forbidden = apiError?.status === 403;
  const role = session ? (isRole(session.role) ? t(`role.${session.role}`) : session.role) : t('auth.unknownRole');
  const title = forbidden ? t('auth.forbidden', { role }) : apiError?.problem.title ?? (unreachable ? t('error.unreachable') : t('error.generic'));
  const detail = apiError ? apiError.problem.detail : error instanceof Error ? error.message : String(error);
  return (
    <div className={forbidden ? 'error-banner forbidden' : 'error-banner'} role="alert" data-status={apiError?.status}>
      <strong>{title}</strong>
      {detail && detail !== title && <span> {detail}</span>}
      {forbidden && <span className="muted small"> {t('auth.forbiddenHint')}</span>}
      {apiError && apiError.fieldErrors.length > 0 && (
        <ul>{apiError.fieldErrors.map((e) => <li key={e.path + e.message}><code>{e.path}</code> {e.message}</li>)}</ul>
      )}
      {onDismiss && <button type="button" className="link-button" onClick={onDismiss}>{t('common.dismiss')}</button>}
    </div>
  );
}
