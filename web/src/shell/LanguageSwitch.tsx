import { useT } from '../i18n/I18nProvider';
import { useSession } from '../session/SessionProvider';

export function LanguageSwitch() {
  const t = useT();
  const { locale, setLocale } = useSession();
  return (
    <label className="header-control">
      <span>{t('session.language')}</span>
      <select value={locale} onChange={(e) => setLocale(e.target.value === 'ja' ? 'ja' : 'en')} data-testid="language-switch">
        <option value="en">English</option>
        <option value="ja">日本語</option>
      </select>
    </label>
  );
}
