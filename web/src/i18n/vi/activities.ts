/** Vietnamese texts of the activities screens (en/activities.ts mirrors these keys). */
export const activitiesVi = {
  tab: 'Hoạt động',
} as const;
