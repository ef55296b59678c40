/** Server messages of the funds module, Vietnamese first; spread into lib/i18n.ts. */
export const fundsVi = {
  'sponsor.notFound': 'Không tìm thấy nhà tài trợ.',
} as const;

export const fundsEn: Record<keyof typeof fundsVi, string> = {
  'sponsor.notFound': 'Sponsor not found.',
};
