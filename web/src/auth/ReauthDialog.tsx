import { useEffect, useRef } from 'react';
import { useT } from '../i18n/I18nProvider';
import { navigate } from '../routing/router';
import { lastExpiredSession, signIn, signInPath } from './authStore';
import { SignInForms } from './SignInPage';

/**
 * The token ran out while the page held unsaved work (the designer): sign in again here, over the page, so the work
 * is still there to save afterwards. Leaving instead goes to the sign-in page (the designer asks first).
 */
export function ReauthDialog({ here }: { here: string }) {
  const t = useT();
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
  }, []);
  return (
    <dialog ref={ref} className="dialog reauth-dialog" aria-label={t('auth.reauthTitle')} data-testid="reauth"
      onCancel={(event) => event.preventDefault()}>
      <div className="dialog-body">
        <h2>{t('auth.reauthTitle')}</h2>
        <p>{t('auth.reauthHint')}</p>
        <SignInForms previous={lastExpiredSession()} onSignedIn={signIn} />
        <p><button type="button" className="link-button danger" onClick={() => navigate(signInPath(here))}>{t('auth.reauthLeave')}</button></p>
      </div>
    </dialog>
  );
}
