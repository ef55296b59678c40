/** Server-side messages, Vietnamese first. Keys are the error codes' messages. */
export type Locale = 'vi' | 'en';

const vi = {
  'auth.required': 'Bạn cần đăng nhập để tiếp tục.',
  'auth.invalid': 'Email hoặc mật khẩu không đúng.',
  'auth.locked': 'Tài khoản tạm khóa do đăng nhập sai nhiều lần. Vui lòng thử lại sau {minutes} phút.',
  'auth.disabled': 'Tài khoản đã bị khóa. Vui lòng liên hệ quản trị viên.',
  'auth.csrf': 'Yêu cầu không hợp lệ (thiếu mã bảo vệ x-csrf-token). Vui lòng tải lại trang.',
  'auth.forbidden': 'Bạn không có quyền thực hiện thao tác này.',
  'auth.tokenInvalid': 'Liên kết đã hết hạn hoặc đã được dùng. Vui lòng yêu cầu liên kết mới.',
  'auth.wrongPassword': 'Mật khẩu hiện tại không đúng.',
  'auth.weakPassword': 'Mật khẩu cần ít nhất 10 ký tự, gồm chữ và số.',
  'rate.limited': 'Bạn thao tác quá nhanh. Vui lòng thử lại sau ít phút.',
  'request.invalid': 'Dữ liệu gửi lên chưa hợp lệ.',
  'request.notFound': 'Không tìm thấy.',
  'request.tooLarge': 'Tệp quá lớn.',
  'server.error': 'Đã có lỗi xảy ra. Vui lòng thử lại; nếu lỗi lặp lại, hãy báo quản trị viên.',
  'org.notFound': 'Không tìm thấy đơn vị.',
  'org.codeTaken': 'Mã đơn vị "{code}" đã được dùng cho một đơn vị đang hoạt động.',
  'org.parentNotFound': 'Không tìm thấy đơn vị cấp trên.',
  'org.notActive': 'Đơn vị đã giải thể hoặc sáp nhập, không thể thay đổi.',
  'org.cycle': 'Không thể chuyển một đơn vị vào chính nó hoặc đơn vị trực thuộc của nó.',
  'org.rootProtected': 'Bạn không thể chuyển, sáp nhập hoặc giải thể đơn vị mà mình được phân quyền ở cấp đó.',
  'org.hasChildren': 'Đơn vị còn {count} đơn vị trực thuộc đang hoạt động. Hãy chuyển hoặc giải thể các đơn vị đó trước.',
  'org.mergeSelf': 'Không thể sáp nhập một đơn vị vào chính nó hoặc vào đơn vị trực thuộc của nó.',
  'org.dateBeforeHistory': 'Ngày hiệu lực không được trước ngày {date}, là lần thay đổi gần nhất của đơn vị.',
  'org.dateInFuture': 'Ngày hiệu lực không được sau ngày hôm nay.',
  'org.stale': 'Đơn vị đã được người khác sửa. Vui lòng tải lại và thực hiện lại.',
  'org.sameParent': 'Đơn vị đã trực thuộc đơn vị này.',
  'org.kindUnderGrassroots': 'Công đoàn cơ sở không có đơn vị trực thuộc.',
  'import.noFile': 'Chưa chọn tệp để nhập.',
  'import.badFile': 'Không đọc được tệp. Hãy dùng tệp Excel (.xlsx) hoặc CSV theo mẫu.',
  'import.hasErrors': 'Tệp có {count} lỗi, chưa nhập dòng nào. Hãy sửa các lỗi hoặc chọn chỉ nhập các dòng hợp lệ.',
  'import.empty': 'Tệp không có dòng dữ liệu nào.',
  'import.tooManyRows': 'Tệp có quá nhiều dòng (tối đa {max}).',
  'user.emailTaken': 'Email {email} đã có tài khoản.',
  'user.notFound': 'Không tìm thấy tài khoản.',
  'user.roleNotAllowed': 'Bạn không thể cấp vai trò này.',
  'user.grantExists': 'Tài khoản đã có vai trò này tại đơn vị đó.',
  'user.lastGrant': 'Không thể gỡ vai trò cuối cùng của tài khoản; hãy khóa tài khoản nếu cần.',
  'user.self': 'Bạn không thể tự khóa hoặc gỡ quyền của chính mình.',
} as const;

export type MessageKey = keyof typeof vi;

const en: Record<MessageKey, string> = {
  'auth.required': 'Please sign in to continue.',
  'auth.invalid': 'Wrong e-mail or password.',
  'auth.locked': 'The account is locked after repeated failed sign-ins. Try again in {minutes} minutes.',
  'auth.disabled': 'The account is disabled. Please contact the administrator.',
  'auth.csrf': 'Invalid request (missing x-csrf-token). Please reload the page.',
  'auth.forbidden': 'You are not allowed to do this.',
  'auth.tokenInvalid': 'The link has expired or was already used. Please ask for a new one.',
  'auth.wrongPassword': 'The current password is wrong.',
  'auth.weakPassword': 'The password needs at least 10 characters, with letters and digits.',
  'rate.limited': 'Too many requests. Please try again in a few minutes.',
  'request.invalid': 'The data sent is not valid.',
  'request.notFound': 'Not found.',
  'request.tooLarge': 'The file is too large.',
  'server.error': 'Something went wrong. Please try again; if it persists, tell the administrator.',
  'org.notFound': 'Unit not found.',
  'org.codeTaken': 'The code "{code}" is already used by an active unit.',
  'org.parentNotFound': 'Parent unit not found.',
  'org.notActive': 'The unit is dissolved or merged and cannot be changed.',
  'org.cycle': 'A unit cannot be moved into itself or one of its own units.',
  'org.rootProtected': 'You cannot move, merge or dissolve the unit at which you hold your role.',
  'org.hasChildren': 'The unit still has {count} active units below it. Move or dissolve them first.',
  'org.mergeSelf': 'A unit cannot be merged into itself or one of its own units.',
  'org.dateBeforeHistory': 'The effective date cannot be before {date}, the unit’s last change.',
  'org.dateInFuture': 'The effective date cannot be after today.',
  'org.stale': 'Someone else changed this unit. Reload and try again.',
  'org.sameParent': 'The unit is already under this parent.',
  'org.kindUnderGrassroots': 'A grassroots union has no units below it.',
  'import.noFile': 'No file chosen.',
  'import.badFile': 'The file cannot be read. Use an Excel (.xlsx) or CSV file made from the template.',
  'import.hasErrors': 'The file has {count} errors; nothing was imported. Fix them or choose to import only the valid rows.',
  'import.empty': 'The file has no data rows.',
  'import.tooManyRows': 'The file has too many rows (at most {max}).',
  'user.emailTaken': 'The e-mail {email} already has an account.',
  'user.notFound': 'Account not found.',
  'user.roleNotAllowed': 'You cannot grant this role.',
  'user.grantExists': 'The account already has this role at that unit.',
  'user.lastGrant': 'The account’s last role cannot be removed; disable the account instead.',
  'user.self': 'You cannot disable yourself or remove your own roles.',
};

const dictionaries: Record<Locale, Record<MessageKey, string>> = { vi, en };

export function translate(locale: Locale, key: MessageKey, params: Record<string, string | number> = {}): string {
  const template = dictionaries[locale][key] ?? vi[key];
  return template.replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? `{${name}}`));
}

/** The caller's language: the user's own choice, else the Accept-Language header, else Vietnamese. */
export function pickLocale(userLocale: string | undefined, acceptLanguage: string | undefined): Locale {
  if (userLocale === 'en' || userLocale === 'vi') return userLocale;
  if (acceptLanguage && /^en\b/i.test(acceptLanguage.trim())) return 'en';
  return 'vi';
}
