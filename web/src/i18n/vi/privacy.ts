/** Vietnamese texts of a child's data protection: export, consent withdrawal, erasure (en/privacy.ts mirrors these keys). */
export const privacyVi = {
  title: 'Bảo vệ dữ liệu cá nhân của trẻ',
  intro:
    'Theo Luật Bảo vệ dữ liệu cá nhân 2025: cha, mẹ hoặc người giám hộ (và trẻ từ đủ 7 tuổi) có quyền nhận dữ liệu đang được lưu, rút lại sự đồng ý và yêu cầu xóa dữ liệu. Mọi thao tác đều được ghi nhật ký.',
  anonymized: 'Đã ẩn danh',
  anonymizedNote: 'Hồ sơ đã được ẩn danh ngày {{date}}: họ tên, ngày sinh thật, trường lớp, ghi chú và thông tin cha mẹ đã được xóa; chỉ còn số liệu để các báo cáo không bị sai lệch.',
  exportJson: 'Tải dữ liệu (JSON)',
  exportWord: 'Tải dữ liệu (Word)',
  withdraw: 'Rút lại đồng ý',
  withdrawTitle: 'Rút lại sự đồng ý xử lý dữ liệu',
  withdrawIntro:
    'Sau khi rút lại: trẻ không còn trong danh sách đủ điều kiện, không nhận thêm quà hay học bổng; các suất quà chưa giao của kế hoạch đang thực hiện bị hủy; họ tên, ngày sinh, trường lớp, ghi chú và thông tin cha mẹ của trẻ được ẩn danh. Số liệu đã báo cáo giữ nguyên. Không thể hoàn tác.',
  withdrawBy: 'Ai rút lại sự đồng ý',
  byParent: 'Cha, mẹ hoặc người giám hộ',
  byChild: 'Trẻ (từ đủ 7 tuổi)',
  withdrawNote: 'Ghi chú (không bắt buộc)',
  withdrawNoteHint: 'Ví dụ: đơn đề nghị ngày 25/11/2026. Không ghi họ tên hay thông tin riêng của trẻ.',
  withdrawConfirm: 'Rút lại và ẩn danh',
  withdrawn: 'Đã ghi nhận việc rút lại sự đồng ý; hồ sơ của trẻ đã được ẩn danh.',
  erase: 'Xóa dữ liệu theo yêu cầu',
  eraseTitle: 'Xóa dữ liệu của trẻ theo yêu cầu',
  eraseIntro:
    'Nếu trẻ chưa nhận quà, tài trợ và chưa được tính trong báo cáo nào đã nộp, hồ sơ bị xóa hẳn. Nếu đã có, hồ sơ được ẩn danh để số liệu đã báo cáo không thay đổi. Không thể hoàn tác.',
  eraseReason: 'Lý do, căn cứ yêu cầu',
  eraseReasonHint: 'Ví dụ: đơn đề nghị xóa dữ liệu của phụ huynh ngày 25/11/2026. Không ghi họ tên hay thông tin riêng của trẻ.',
  eraseReasonRequired: 'Vui lòng ghi lý do (ít nhất 3 ký tự).',
  eraseConfirm: 'Xóa dữ liệu',
  erasedDeleted: 'Đã xóa hẳn hồ sơ của trẻ.',
  erasedAnonymized: 'Trẻ đã có quà, tài trợ hoặc được tính trong báo cáo, nên hồ sơ đã được ẩn danh thay vì xóa hẳn.',
  confirmCheck: 'Tôi đã kiểm tra yêu cầu của gia đình và hiểu rằng thao tác này không thể hoàn tác.',
  withdrawnLine: 'Đã rút lại ngày {{date}} ({{by}})',
} as const;
