import type { Widen } from '../vi';
import type { activitiesVi } from '../vi/activities';

export const activitiesEn: Widen<typeof activitiesVi> = {
  tab: 'Activities',
};
