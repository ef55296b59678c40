/**
 * The sizes the generator makes. `regions` are the units under the root
 * (provinces under a confederation); a city scale has none: the root is the
 * city federation and its intermediate unions sit right under it.
 */
export interface Scale {
  name: ScaleName;
  /** Regions under the root (0: the root is itself the city federation). */
  regions: number;
  intermediates: number;
  grassroots: number;
  members: number;
  children: number;
  /** Too large for the embedded database. */
  serverOnly: boolean;
}

export const SCALES = {
  tiny: { name: 'tiny', regions: 0, intermediates: 2, grassroots: 20, members: 1_600, children: 700, serverOnly: false },
  city: { name: 'city', regions: 0, intermediates: 30, grassroots: 6_500, members: 600_000, children: 250_000, serverOnly: false },
  province: { name: 'province', regions: 4, intermediates: 390, grassroots: 15_000, members: 1_150_000, children: 580_000, serverOnly: false },
  national: { name: 'national', regions: 34, intermediates: 3_300, grassroots: 130_000, members: 10_000_000, children: 5_000_000, serverOnly: true },
} as const satisfies Record<string, Omit<Scale, 'name'> & { name: string }>;
export type ScaleName = keyof typeof SCALES;

export function scaleOf(name: string): Scale {
  const s = (SCALES as Record<string, Scale>)[name];
  if (!s) throw new Error(`unknown scale "${name}" (one of: ${Object.keys(SCALES).join(', ')})`);
  return s;
}

/** The 34 provinces and cities (from 1 July 2025), with a rough weight by workforce. */
export const PROVINCES: [code: string, name: string, weight: number][] = [
  ['HCM', 'Thành phố Hồ Chí Minh', 20], ['HNI', 'Thành phố Hà Nội', 16], ['HPG', 'Thành phố Hải Phòng', 5], ['DNG', 'Thành phố Đà Nẵng', 3],
  ['CTO', 'Thành phố Cần Thơ', 2.5], ['HUE', 'Thành phố Huế', 1.5], ['DNI', 'tỉnh Đồng Nai', 6], ['BNH', 'tỉnh Bắc Ninh', 5],
  ['HYN', 'tỉnh Hưng Yên', 3], ['TNH', 'tỉnh Tây Ninh', 3], ['QNH', 'tỉnh Quảng Ninh', 2], ['THA', 'tỉnh Thanh Hóa', 2.5],
  ['NAN', 'tỉnh Nghệ An', 2], ['NBH', 'tỉnh Ninh Bình', 2], ['PTO', 'tỉnh Phú Thọ', 2], ['TNG', 'tỉnh Thái Nguyên', 2],
  ['HTH', 'tỉnh Hà Tĩnh', 1], ['QTI', 'tỉnh Quảng Trị', 1], ['QNG', 'tỉnh Quảng Ngãi', 1.2], ['GLI', 'tỉnh Gia Lai', 1.2],
  ['KHA', 'tỉnh Khánh Hòa', 1.2], ['LDG', 'tỉnh Lâm Đồng', 1.2], ['DLK', 'tỉnh Đắk Lắk', 1], ['VLG', 'tỉnh Vĩnh Long', 1.2],
  ['DTP', 'tỉnh Đồng Tháp', 1.2], ['AGG', 'tỉnh An Giang', 1.2], ['CMU', 'tỉnh Cà Mau', 0.8], ['LCI', 'tỉnh Lào Cai', 0.8],
  ['TQG', 'tỉnh Tuyên Quang', 0.7], ['LSN', 'tỉnh Lạng Sơn', 0.6], ['SLA', 'tỉnh Sơn La', 0.6], ['CBG', 'tỉnh Cao Bằng', 0.4],
  ['DBN', 'tỉnh Điện Biên', 0.4], ['LCU', 'tỉnh Lai Châu', 0.3],
];

/** Names for wards, communes and districts; combined and numbered so a tree of any size has names. */
export const PLACES = [
  'An Phú', 'An Khánh', 'An Lạc', 'Bình Minh', 'Bình Hưng', 'Bình Thạnh', 'Cát Lái', 'Chánh Hưng', 'Đông Hưng', 'Gia Thụy',
  'Hòa Bình', 'Hòa Khánh', 'Hiệp Phước', 'Long Hải', 'Long Trường', 'Minh Khai', 'Nam Sơn', 'Ngọc Lâm', 'Phú Mỹ', 'Phú Lợi',
  'Phước Long', 'Quang Trung', 'Tân Định', 'Tân Hưng', 'Tân Phong', 'Tân Thành', 'Thanh Xuân', 'Thạnh Mỹ', 'Thống Nhất', 'Trung Hòa',
  'Vĩnh Hưng', 'Vĩnh Lộc', 'Xuân Hòa', 'Yên Hòa', 'Đức Giang', 'Bồ Đề', 'Hồng Hà', 'Sài Đồng', 'Phúc Lợi', 'Việt Hưng',
  'Tây Thạnh', 'Sơn Kỳ', 'Hiệp Bình', 'Linh Xuân', 'Tăng Nhơn Phú', 'Long Bình', 'Tam Bình', 'Bến Thành', 'Cầu Ông Lãnh', 'Nhiêu Lộc',
];

export const CITY_DISTRICTS = [
  'Quận 1', 'Quận 3', 'Quận 4', 'Quận 5', 'Quận 6', 'Quận 7', 'Quận 8', 'Quận 10', 'Quận 11', 'Quận 12', 'quận Bình Tân', 'quận Bình Thạnh',
  'quận Gò Vấp', 'quận Phú Nhuận', 'quận Tân Bình', 'quận Tân Phú', 'thành phố Thủ Đức', 'huyện Bình Chánh', 'huyện Cần Giờ', 'huyện Củ Chi',
  'huyện Hóc Môn', 'huyện Nhà Bè',
];

export const SECTOR_UNIONS = [
  'Công đoàn ngành Giáo dục', 'Công đoàn ngành Y tế', 'Công đoàn các Khu chế xuất và công nghiệp', 'Công đoàn ngành Giao thông vận tải',
  'Công đoàn Viên chức', 'Công đoàn ngành Xây dựng', 'Công đoàn ngành Công thương', 'Công đoàn Tổng Công ty Thương mại',
];

export const SCHOOL_NAMES = [
  'Hoa Sen', 'Hướng Dương', 'Sơn Ca', 'Họa Mi', 'Hoa Mai', 'Tuổi Thơ', 'Lê Quý Đôn', 'Nguyễn Du', 'Trần Phú', 'Chu Văn An', 'Lê Lợi', 'Nguyễn Trãi',
  'Võ Thị Sáu', 'Kim Đồng', 'Lý Thường Kiệt', 'Trần Hưng Đạo', 'Nguyễn Bỉnh Khiêm', 'Lương Thế Vinh', 'Ngô Quyền', 'Đinh Tiên Hoàng',
];

export const COMPANY_BRANDS = [
  'Phú Thành', 'Tân Hưng', 'Đại Phát', 'Hưng Thịnh', 'Minh Long', 'Thành Công', 'Việt Tiến', 'Hoàng Gia', 'Sao Mai', 'Thiên Long',
  'Bình An', 'Đông Á', 'Nam Việt', 'Hải Hà', 'Trường Sơn', 'Phương Nam', 'Kim Long', 'An Khang', 'Vạn Xuân', 'Tân Thuận',
];

export const INDUSTRIES = ['May mặc', 'Điện tử', 'Da giày', 'Cơ khí', 'Thực phẩm', 'Bao bì', 'Nhựa', 'Dệt', 'Gỗ', 'Vận tải', 'Xây dựng', 'Dược phẩm'];

export const SPONSOR_ORGS = [
  'Ngân hàng TMCP Phát triển', 'Công ty CP Sữa', 'Công ty TNHH Bánh kẹo', 'Công ty CP Bảo hiểm', 'Quỹ Bảo trợ trẻ em', 'Công ty CP Đồ chơi',
  'Công ty TNHH Sách và Thiết bị trường học', 'Siêu thị', 'Công ty CP Thực phẩm', 'Hội Doanh nhân trẻ',
];

export const MANUAL_WORDS = [
  {
    highlights: 'Tặng quà tận tay các cháu, ưu tiên các cháu có hoàn cảnh khó khăn; tuyên truyền phòng chống xâm hại trẻ em qua nhóm Zalo phụ huynh.',
    difficulties: 'Dịch Covid-19 diễn biến phức tạp, không tổ chức được Đêm hội tập trung.',
    proposals: 'Đề nghị công đoàn cấp trên tiếp tục hỗ trợ kinh phí cho các cháu có hoàn cảnh đặc biệt khó khăn.',
  },
  {
    highlights: 'Phối hợp với chuyên môn tổ chức Đêm hội trăng rằm trực tuyến, trao học bổng cho các cháu vượt khó học giỏi.',
    difficulties: 'Kinh phí công đoàn hạn hẹp, nhiều đoàn viên nghỉ việc, tạm hoãn hợp đồng.',
    proposals: 'Đề nghị huy động thêm nhà tài trợ cho con công nhân lao động khu công nghiệp.',
  },
  {
    highlights: 'Vận động được nhà tài trợ, quà được chuyển tới từng gia đình đảm bảo an toàn phòng dịch.',
    difficulties: 'Một số phụ huynh đang cách ly nên nhận quà muộn.',
    proposals: '',
  },
];
