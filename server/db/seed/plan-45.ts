import type { OfficialDocument } from '../../lib/official-document';

/*
 * Kế hoạch số 45/KH-LĐLĐ ngày 24/8/2021 của Ban thường vụ LĐLĐ quận Long Biên,
 * "Tổ chức hoạt động “Tết trung thu” cho con CNVCLĐ năm 2021", word for word
 * (its slips included: "Tổ các hoạt động", "năm 2020", the repeated sentence),
 * with the section bodies in the light markup of renderOfficialDocument:
 * paragraphs separated by a blank line, '- ' dash items, '1. ' bold
 * sub-headings, **bold**. The one change: a paragraph of II.2 that the text
 * extraction had cut in two ("nhận thức và | hành động") is whole again.
 */

export const PLAN_45_PREAMBLE = `Thực hiện kế hoạch số 41/KH-LĐLĐ ngày 20/8/2021 của LĐLĐ Thành phố Hà Nội về tổ chức hoạt động “Tết trung thu” cho con CNVCLĐ năm 2021; Ban thường vụ LĐLĐ quận Long Biên xây dựng kế hoạch tổ chức các hoạt động “Tết trung thu” cho con CNVCLĐ năm 2021 như sau:`;

export const PLAN_45_SECTIONS: { heading: string; body: string }[] = [
  {
    heading: 'I. MỤC ĐÍCH, YÊU CẦU',
    body: `- Nâng cao nhận thức, trách nhiệm của các cấp Công đoàn, gia đình, nhà trường, cộng đồng và toàn xã hội đối với công tác bảo vệ, chăm sóc và giáo dục trẻ em. Chú trọng tạo cho trẻ em những cơ hội được phát triển bình đẳng.

- Thực hiện hiệu quả chính sách, chương trình và vận động xã hội nhằm xây dựng môi trường an toàn, lành mạnh, thân thiện và nâng cao chất lượng cuộc sống cho trẻ em; Phòng ngừa, hạn chế tối đa những tác động tiêu cực đến trẻ em, phòng chống bạo lực, xâm hại trẻ em. Phòng ngừa, hạn chế tối đa những tác động tiêu cực đến trẻ em, phòng chống bạo lực, xâm hại trẻ em.

- Tổ chức các hoạt động Tết Trung thu cho con CNVCLĐ, trẻ em cộng đồng trên địa bàn Quận an toàn, thiết thực vui tươi, đầm ấm, phù hợp điều kiện thực tế của đơn vị và tình hình phòng, chống dịch bệnh Covid-19; tập trung ưu tiên, quan tâm tổ chức các hoạt động “Tết trung thu” cho trẻ em nghèo, trẻ em có hoàn cảnh đặc biệt khó khăn.

- Đa dạng hóa công tác truyền thông, vận động, huy động nguồn lực của các cấp, các ngành, các tổ chức, cá nhân, gia đình và toàn xã hội cho công tác bảo vệ, chăm sóc và giáo dục con CNVCLĐ.`,
  },
  {
    heading: 'II. NỘI DUNG',
    body: `1. Hoạt động thăm hỏi, tặng quà cho trẻ em.

- Tổ chức tặng quà nhân dịp “Tết Trung thu” cho con CNVCLĐ, ưu tiên, con CNVCLĐ có hoàn cảnh đặc biệt khó khăn.

- Tổ chức khen thưởng con CNVCLĐ đạt thành tích xuất sắc trong học tập, vượt khó học giỏi.

Căn cứ tình hình thực tế tại đơn vị để tổ chức hoạt động cho phù hợp, đảm bảo an toàn trước dịch bệnh Covid-19.

2. Tổ các hoạt động truyền thông, giáo dục, vận động xã hội:

- Tăng cường các hoạt động tuyên truyền, giáo dục nhằm nâng cao nhận thức và hành động của các cấp Công đoàn đối với công tác bảo vệ chăm sóc và giáo dục trẻ em trực tuyến thông qua nền tảng như zoom, zalo, facebook,... Huy động sự tham gia tích cực của các cấp Công đoàn, gia đình CNVCLĐ và bản thân trẻ em trong thực hiện quyền và bổn phận của trẻ em theo tinh thần Chỉ thị số 20-CT/TW ngày 05/11/2012 của Bộ Chính trị về tăng cường sự lãnh đạo của Đảng đối với công tác chăm sóc, giáo dục và bảo vệ trẻ em trong tình hình mới; Chỉ thị số 23/CT-TTg ngày 26/5/2020 của Thủ tướng Chính phủ về việc tăng cường các giải pháp bảo đảm thực hiện quyền trẻ em và bảo vệ trẻ em; Quyết định số 1863/QĐ-TTg ngày 23/12/2019 của Thủ tướng Chính phủ về việc phê duyệt Kế hoạch hành động quốc gia phòng, chống bạo lực, xâm hại trẻ em giai đoạn 2020-2025; Luật Trẻ em năm 2016; Quyết định số 23/QĐ-TTg ngày 07/01/2021 của Thủ tướng Chính phủ phê duyệt Chương trình hành động quốc gia vì trẻ em giai đoạn 2021-2030; Quyết định số 830/QĐ-TTg ngày 01/6/2021 của Thủ tướng Chính phủ phê duyệt Chương trình "Bảo vệ và hỗ trợ trẻ em tương tác lành mạnh, sáng tạo trên môi trường mạng giai đoạn 2021 - 2025".

- Cung cấp kiến thức, kỹ năng cho cha mẹ/người chăm sóc trẻ, bảo vệ trẻ em; phòng, chống xâm hại trẻ em; đặc biệt phòng, chống xâm hại trên môi trường mạng.

- Tăng cường truyền thông về số điện thoại của Tổng đài điện thoại quốc gia bảo vệ trẻ em - 111 và Trung tâm Cung cấp dịch vụ công tác xã hội Hà Nội - 0243.525.662 để mọi trẻ em, cá nhân, cơ quan, tổ chức liên hệ khi có nhu cầu cần trợ giúp, bảo vệ trẻ em.

- Biểu dương kịp thời những tấm gương người tốt, việc tốt, nhận đỡ đầu, giúp đỡ, ủng hộ con CNVCLĐ có hoàn cảnh khó khăn, hoàn cảnh đặc biệt; tạo điều kiện thuận lợi hơn cho các em trong học tập, tham gia các hoạt động vui chơi, giải trí, văn hóa, văn nghệ, phát triển năng khiếu; tuyên truyền, khuyến khích trẻ em chơi các đồ chơi tự tạo, đồ chơi sản xuất trong nước, không mua đồ chơi mang tính chất bạo lực, không phù hợp với trẻ em.

3. Huy động nguồn lực xã hội:

Tăng cường huy động các nguồn lực của các tổ chức, cá nhân để hỗ trợ, chăm lo, tổ chức các hoạt động nhân dịp "Tết Trung thu" cũng như tổ chức "Đêm Trung thu", thăm tặng quà, trao học bổng cho trẻ em, con CNVCLĐ có hoàn cảnh đặc biệt khó khăn.`,
  },
  {
    heading: 'III. TỔ CHỨC THỰC HIỆN.',
    body: `1. Đối với LĐLĐ quận Long Biên

- Xây dựng và triển khai kế hoạch tổ chức hoạt động "Tết trung thu" đến 100% công đoàn cơ sở trên địa bàn quận.

- Chỉ đạo công đoàn cơ sở tổ chức các hoạt động nhân dịp “Tết Trung thu” năm 2020 phù hợp với tình hình thực tế tại đơn vị và tình hình dịch bệnh Covid hiện nay.

- Căn cứ trên tình hình thực tế diễn biến của dịch bệnh Covid-19, tổ chức tặng quà cho các cháu con CNVCLĐ vượt khó học giỏi năm học 2020-2021.

- Tổng hợp báo cáo kết quả thực hiện về LĐLĐ Thành phố Hà Nội và các đơn vị có liên quan.

2. Đối với Công đoàn cơ sở

- Ban chấp hành công đoàn cơ sở vận động CNVCLĐ cho con em mình tích cực tham gia các hoạt động do chính quyền, địa phương, đơn vị tổ chức đảm bảo an toàn phù hợp với tình hình, diễn biến của dịch bệnh Covid-19.

- Tổ chức tặng quà cho con CNVCLĐ; con CNVCLĐ bị khuyết tật, nhiễm chất độc DIOXIN; trao hỗ trợ học bổng, tặng quà cho con CNVCLĐ đạt thành tích xuất sắc trong học tập, đặc biệt con gia đình chính sách, con CNVCLĐ có hoàn cảnh khó khăn vươn lên đạt thành tích cao trong học tập.

Căn cứ kế hoạch của LĐLĐ Quận, tình hình thực tiễn của đơn vị và tình hình dịch bệnh Covid hiện nay, tổ chức hoạt động “Tết trung thu” và các hoạt động chăm lo cho các cháu con CNVCLĐ thiết thực, phù hợp, hiệu quả. Ban thường vụ LĐLĐ Quận đề nghị công đoàn cơ sở nghiêm túc triển khai và báo cáo kết quả (theo mẫu) về Liên đoàn Lao động Quận **chậm nhất ngày 25/9/2021** qua địa chỉ email: ldldlongbien@gmail.com.`,
  },
];

export const PLAN_45_RECIPIENTS: string[] = ['Ban nữ công LĐLĐ Thành phố ;', 'Công đoàn cơ sở;', 'Lưu VP, NC.'];

export const PLAN_45_SIGNER: OfficialDocument['signer'] = {
  onBehalfOf: 'TM. BAN THƯỜNG VỤ',
  position: 'CHỦ TỊCH',
  name: 'Phan Thị Thu Hằng',
};

/** The whole plan, ready for renderOfficialDocument. */
export const PLAN_45_DOCUMENT: OfficialDocument = {
  parentBody: 'LIÊN ĐOÀN LAO ĐỘNG THÀNH PHỐ HÀ NỘI',
  issuingBody: 'LIÊN ĐOÀN LAO ĐỘNG QUẬN LONG BIÊN',
  number: '45/KH-LĐLĐ',
  place: 'Long Biên',
  date: '2021-08-24',
  kindTitle: 'KẾ HOẠCH',
  subject: 'Tổ chức hoạt động “Tết trung thu” cho con CNVCLĐ năm 2021.',
  preamble: PLAN_45_PREAMBLE,
  sections: PLAN_45_SECTIONS,
  recipients: PLAN_45_RECIPIENTS,
  signer: PLAN_45_SIGNER,
};
