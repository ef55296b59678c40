/** Vietnamese texts of two-factor sign-in (en/security.ts mirrors these keys). */
export const securityVi = {
  menu: 'Xác thực hai lớp',
  title: 'Xác thực hai lớp (mã 6 số)',
  intro:
    'Khi bật, mỗi lần đăng nhập cần thêm mã 6 số từ ứng dụng xác thực trên điện thoại (Google Authenticator, Microsoft Authenticator…), nên lộ mật khẩu cũng không vào được tài khoản.',
  required: 'Vai trò của bạn bắt buộc xác thực hai lớp. Vui lòng bật để tiếp tục làm việc.',
  enabled: 'Đang bật xác thực hai lớp.',
  start: 'Tạo mã QR',
  scan: 'Quét mã QR bằng ứng dụng xác thực, hoặc nhập khóa sau:',
  code: 'Mã 6 số trong ứng dụng',
  enable: 'Bật xác thực hai lớp',
  enabledDone: 'Đã bật xác thực hai lớp. Các phiên đăng nhập khác đã được đóng.',
  disable: 'Tắt xác thực hai lớp',
  disableHint: 'Nhập mật khẩu để tắt.',
  password: 'Mật khẩu',
  disabledDone: 'Đã tắt xác thực hai lớp.',
  signInCode: 'Mã xác thực (6 số)',
  signInCodeHint: 'Mở ứng dụng xác thực trên điện thoại và nhập mã đang hiển thị.',
} as const;
