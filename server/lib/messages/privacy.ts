/** Server messages of children's data protection (consent withdrawal, export, erasure), Vietnamese first; spread into lib/i18n.ts. */
export const privacyVi = {
  'privacy.anonymized':
    'Hồ sơ của trẻ đã được ẩn danh (đã rút lại đồng ý, xóa theo yêu cầu hoặc hết thời hạn lưu trữ) nên không sửa được.',
  'privacy.noNewBenefits':
    'Trẻ đã được ẩn danh (đã rút lại đồng ý, xóa theo yêu cầu hoặc hết thời hạn lưu trữ) nên không thể nhận thêm quà, học bổng hay tài trợ.',
  'privacy.noParentConsent':
    'Chưa ghi nhận sự đồng ý của cha/mẹ hoặc người giám hộ nên không có gì để rút lại. Nếu gia đình đề nghị xóa dữ liệu của trẻ, hãy dùng "Xóa dữ liệu theo yêu cầu".',
  'privacy.noChildConsent':
    'Chưa ghi nhận sự đồng ý của trẻ nên không có gì để rút lại. Nếu gia đình đề nghị xóa dữ liệu của trẻ, hãy dùng "Xóa dữ liệu theo yêu cầu".',
  'privacy.alreadyWithdrawn': 'Sự đồng ý này đã được rút lại ngày {date}.',
};

export const privacyEn: Record<keyof typeof privacyVi, string> = {
  'privacy.anonymized': 'This child’s record was anonymised (consent withdrawn, erased on request or past the retention period) and cannot be changed.',
  'privacy.noNewBenefits': 'This child’s record was anonymised (consent withdrawn, erased on request or past the retention period): no new gift, scholarship or sponsorship can be recorded.',
  'privacy.noParentConsent': 'No consent of a parent or guardian is recorded, so there is nothing to withdraw. If the family asks for the child’s data to be erased, use “Erase on request”.',
  'privacy.noChildConsent': 'No consent of the child is recorded, so there is nothing to withdraw. If the family asks for the child’s data to be erased, use “Erase on request”.',
  'privacy.alreadyWithdrawn': 'This consent was already withdrawn on {date}.',
};
