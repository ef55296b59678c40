/** Vietnamese texts of the funds screens (en/funds.ts mirrors these keys). */
export const fundsVi = {
  tab: 'Quỹ, tài trợ',
} as const;
