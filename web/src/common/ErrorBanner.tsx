import { ApiError } from '../api/http';
import { useT } from '../i18n/I18nProvider';

/** Says what went wrong in the server's words (problem details), with each field's problem. */
export function ErrorBanner({ error, onDismiss }: { error: unknown; onDismiss?: () => void }) {
  const t = useT();
  if (!error) return null;
  const apiError = error instanceof ApiError ? error : null;
  const unreachable = error instanceof TypeError;
  const title = apiError?.problem.title ?? (unreachable ? t('error.unreachable') : t('error.generic'));
  const detail = apiError ? apiError.problem.detail : error instanceof Error ? error.message : String(error);
  return (
    <div className="error-banner" role="alert">
      <strong>{title}</strong>
      {detail && detail !== title && <span> {detail}</span>}
      {apiError && apiError.fieldErrors.length > 0 && (
        <ul>{apiError.fieldErrors.map((e) => <li key={e.path + e.message}><code>{e.path}</code> {e.message}</li>)}</ul>
      )}
      {onDismiss && <button type="button" className="link-button" onClick={onDismiss}>{t('common.dismiss')}</button>}
    </div>
  );
}
