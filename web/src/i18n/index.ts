import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import { en } from './en';
import { vi } from './vi';

export type Locale = 'vi' | 'en';
export const LOCALES: readonly Locale[] = ['vi', 'en'];

const STORAGE_KEY = 'lantern.locale';

function readStoredLocale(): Locale {
  try {
    const v = window.localStorage.getItem(STORAGE_KEY);
    if (v === 'vi' || v === 'en') return v;
  } catch {
    // Storage may be unavailable (private mode); fall back to Vietnamese.
  }
  return 'vi';
}

export function storeLocale(locale: Locale): void {
  try {
    window.localStorage.setItem(STORAGE_KEY, locale);
  } catch {
    // Ignore: the choice then lasts only for this page.
  }
}

export function currentLocale(): Locale {
  return i18n.resolvedLanguage === 'en' ? 'en' : 'vi';
}

/** Switch the interface language and remember it on this device. */
export async function applyLocale(locale: Locale): Promise<void> {
  storeLocale(locale);
  if (currentLocale() !== locale) await i18n.changeLanguage(locale);
}

i18n.on('languageChanged', (lng) => {
  const locale: Locale = lng === 'en' ? 'en' : 'vi';
  document.documentElement.lang = locale;
  document.title = i18n.t('app.documentTitle');
});

void i18n.use(initReactI18next).init({
  resources: { vi: { translation: vi }, en: { translation: en } },
  lng: readStoredLocale(),
  fallbackLng: 'vi',
  supportedLngs: ['vi', 'en'],
  interpolation: { escapeValue: false },
});

export { i18n };
