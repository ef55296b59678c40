import { SegmentedControl } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { meQueryOptions, useMe, useUpdateMe, type Me } from '../features/auth/api';
import { applyLocale, currentLocale, type Locale } from '../i18n';

/** VI / EN switch: remembered on this device and, when signed in, on the account. */
export function LanguageSwitch() {
  const { t } = useTranslation();
  const me = useMe();
  const qc = useQueryClient();
  const updateMe = useUpdateMe();

  const change = (value: string) => {
    const locale: Locale = value === 'en' ? 'en' : 'vi';
    void applyLocale(locale);
    if (me && me.locale !== locale) {
      // Keep the cached user in step even if saving fails, so navigation does not switch back.
      const next: Me = { ...me, locale };
      qc.setQueryData(meQueryOptions.queryKey, next);
      updateMe.mutate({ locale });
    }
  };

  return (
    <SegmentedControl
      size="xs"
      value={currentLocale()}
      onChange={change}
      aria-label={t('common.language')}
      data={[
        { value: 'vi', label: <span title={t('common.languageVi')}>VI</span> },
        { value: 'en', label: <span title={t('common.languageEn')}>EN</span> },
      ]}
    />
  );
}
