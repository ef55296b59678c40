import type { Widen } from '../vi';
import type { fundsVi } from '../vi/funds';

export const fundsEn: Widen<typeof fundsVi> = {
  tab: 'Funds & sponsors',
};
