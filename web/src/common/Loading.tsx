import { useT } from '../i18n/I18nProvider';

export function Loading() {
  const t = useT();
  return <p className="loading" aria-busy="true">{t('common.loading')}</p>;
}
