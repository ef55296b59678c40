/** Server messages of the activities module, Vietnamese first; spread into lib/i18n.ts. */
export const activitiesVi = {
  'activity.notFound': 'Không tìm thấy hoạt động.',
} as const;

export const activitiesEn: Record<keyof typeof activitiesVi, string> = {
  'activity.notFound': 'Activity not found.',
};
