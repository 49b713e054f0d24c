import { createContext, useCallback, useContext, useMemo, type ReactNode } from 'react';
import { en, type MessageKey } from './en';
import { catalogueJa } from './catalogueJa';
import { ja } from './ja';

export type Locale = 'en' | 'ja';
export type MessageParams = Record<string, string | number>;
export type Translate = (key: MessageKey, params?: MessageParams) => string;

const dictionaries: Record<Locale, Record<MessageKey, string>> = { en, ja };

export function translate(locale: Locale, key: MessageKey, params?: MessageParams): string {
  const text = dictionaries[locale][key] ?? en[key] ?? key;
  return params ? text.replace(/\{(\w+)\}/g, (hole, name: string) => (name in params ? String(params[name]) : hole)) : text;
}

/** The browser's language picks Japanese or English until the person chooses. */
export function localeFromBrowser(languages: readonly string[] = navigator.languages ?? [navigator.language]): Locale {
  return languages.some((language) => language.toLowerCase().startsWith('ja')) ? 'ja' : 'en';
}

/** A key for a message that may or may not be in the dictionary (activity types from the server, statuses). */
export function hasMessage(key: string): key is MessageKey {
  return key in en;
}

/**
 * A label for something the server names (an activity type, an outcome, a journal status): the dictionary's, else
 * the Japanese catalogue's, else the server's own (English) words.
 */
export function translateOr(locale: Locale, key: string, fallback: string, params?: MessageParams): string {
  if (hasMessage(key)) return translate(locale, key, params);
  if (locale === 'ja' && key in catalogueJa) return catalogueJa[key];
  return fallback;
}

interface I18n {
  locale: Locale;
  t: Translate;
  /** Looks up `key`, or shows `fallback` (usually the server's own English) when the dictionary has no such key. */
  tOr: (key: string, fallback: string, params?: MessageParams) => string;
}

const I18nContext = createContext<I18n>({
  locale: 'en',
  t: (key, params) => translate('en', key, params),
  tOr: (key, fallback, params) => translateOr('en', key, fallback, params),
});

export function I18nProvider({ locale, children }: { locale: Locale; children: ReactNode }) {
  const t = useCallback<Translate>((key, params) => translate(locale, key, params), [locale]);
  const tOr = useCallback((key: string, fallback: string, params?: MessageParams) => translateOr(locale, key, fallback, params), [locale]);
  const value = useMemo(() => ({ locale, t, tOr }), [locale, t, tOr]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export const useI18n = () => useContext(I18nContext);
export const useT = () => useContext(I18nContext).t;
