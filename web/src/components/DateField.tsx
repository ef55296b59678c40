import { TextInput, type TextInputProps } from '@mantine/core';
import { useState, type FocusEvent, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDate, parseVietnameseDate } from '../../../common/format';

export const DATE_PLACEHOLDER = 'dd/mm/yyyy';

export interface DateFieldProps
  extends Omit<TextInputProps, 'value' | 'defaultValue' | 'onChange' | 'type' | 'placeholder' | 'inputMode'> {
  /** The date as ISO yyyy-mm-dd, or null when the field is empty (or not yet a valid date). */
  value: string | null;
  /** Called while typing: the ISO date when the text is a valid date, null otherwise. */
  onChange?: (value: string | null) => void;
  /** Called on Enter or blur when the text is a valid date (ISO) or empty (null); not when it is invalid. */
  onCommit?: (value: string | null) => void;
}

/**
 * A date typed and shown as dd/mm/yyyy whatever the browser's locale ("21/9/2021" is accepted too).
 * The parent sees ISO yyyy-mm-dd, or null when the field is empty or the text is not a real date.
 */
export function DateField({ value, onChange, onCommit, error, onBlur, onKeyDown, ...rest }: DateFieldProps) {
  const { t } = useTranslation();
  const [text, setText] = useState(() => formatDate(value));
  const [shownValue, setShownValue] = useState(value);
  // What this field last handed to onChange: a value equal to it is the parent echoing the typing back.
  const [reported, setReported] = useState<string | null | undefined>(undefined);
  const [showInvalid, setShowInvalid] = useState(false);

  // The parent set a new value itself (a reset, "today"…): show it, unless the text already means that date.
  if (value !== shownValue) {
    setShownValue(value);
    const echo = value === reported || (value !== null && value === parseVietnameseDate(text));
    if (!echo) {
      setText(formatDate(value));
      setShowInvalid(false);
    }
  }

  const trimmed = text.trim();
  const parsed = trimmed ? parseVietnameseDate(trimmed) : null;
  const invalid = trimmed !== '' && parsed === null;

  /** Blur or Enter: tidy the text to dd/mm/yyyy, flag an invalid date, or hand the date to the parent. */
  const settle = () => {
    if (invalid) {
      setShowInvalid(true);
      return;
    }
    const tidy = formatDate(parsed);
    if (tidy !== text) setText(tidy);
    onCommit?.(parsed);
  };

  // An invalid text wins over the parent's "required" error: the field is not empty, it is wrong.
  const shownError = invalid && (showInvalid || Boolean(error)) ? t('common.dateInvalid') : error;

  return (
    <TextInput
      {...rest}
      type="text"
      inputMode="numeric"
      autoComplete="off"
      placeholder={DATE_PLACEHOLDER}
      maxLength={10}
      value={text}
      error={shownError}
      onChange={(e) => {
        const next = e.currentTarget.value;
        setText(next);
        const iso = next.trim() ? parseVietnameseDate(next) : null;
        if (iso !== null || next.trim() === '') setShowInvalid(false);
        if (onChange) {
          setReported(iso);
          onChange(iso);
        }
      }}
      onBlur={(e: FocusEvent<HTMLInputElement>) => {
        settle();
        onBlur?.(e);
      }}
      onKeyDown={(e: KeyboardEvent<HTMLInputElement>) => {
        if (e.key === 'Enter') settle();
        onKeyDown?.(e);
      }}
    />
  );
}
