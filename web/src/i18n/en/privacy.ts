import type { Widen } from '../vi';
import type { privacyVi } from '../vi/privacy';

export const privacyEn: Widen<typeof privacyVi> = {
  title: 'Protection of the child’s personal data',
  intro:
    'Under the 2025 Personal Data Protection Law, the parent or guardian (and the child from age 7) may receive the data held, withdraw consent and ask for the data to be erased. Every action is logged.',
  anonymized: 'Anonymised',
  anonymizedNote: 'This record was anonymised on {{date}}: the name, real date of birth, school, notes and parents were removed; only what the figures need is kept, so reports stay correct.',
  exportJson: 'Download data (JSON)',
  exportWord: 'Download data (Word)',
  withdraw: 'Withdraw consent',
  withdrawTitle: 'Withdraw consent to process the data',
  withdrawIntro:
    'Afterwards the child is in no eligible list and gets no new gift or scholarship; undelivered benefits of running plans are cancelled; the child’s name, date of birth, school, notes and parents are anonymised. Reported figures stay as they are. This cannot be undone.',
  withdrawBy: 'Who withdraws consent',
  byParent: 'Parent or guardian',
  byChild: 'The child (aged 7 or more)',
  withdrawNote: 'Note (optional)',
  withdrawNoteHint: 'For example: request letter of 25/11/2026. Do not write the child’s name or private details.',
  withdrawConfirm: 'Withdraw and anonymise',
  withdrawn: 'The withdrawal is recorded; the child’s record was anonymised.',
  erase: 'Erase on request',
  eraseTitle: 'Erase the child’s data on request',
  eraseIntro:
    'If the child has no benefit or sponsorship and is counted in no submitted report, the record is deleted. Otherwise it is anonymised so that reported figures do not change. This cannot be undone.',
  eraseReason: 'Reason, basis of the request',
  eraseReasonHint: 'For example: the parent’s erasure request of 25/11/2026. Do not write the child’s name or private details.',
  eraseReasonRequired: 'Please give a reason (at least 3 characters).',
  eraseConfirm: 'Erase data',
  erasedDeleted: 'The child’s record was deleted.',
  erasedAnonymized: 'The child has benefits, sponsorships or is counted in a report, so the record was anonymised instead of deleted.',
  confirmCheck: 'I have checked the family’s request and understand that this cannot be undone.',
  withdrawnLine: 'Withdrawn on {{date}} ({{by}})',
};
