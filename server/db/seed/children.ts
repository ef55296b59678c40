import { inArray } from 'drizzle-orm';
import type { Db } from '../client';
import { childParents, children, members, orgs } from '../schema/index';
import type { AchievementEntry, CircumstanceEntry } from '../../../common/children';
import { ageOn } from '../../../common/children';
import { foldVietnamese, vietnameseSortKey } from '../../../common/vietnamese';
import { childDupKey, memberMatchKey } from '../../modules/children/children.service';

export const FAMILY = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Huỳnh', 'Phan', 'Vũ', 'Võ', 'Đặng', 'Bùi', 'Đỗ', 'Hồ', 'Ngô', 'Dương', 'Lý', 'Đinh', 'Trịnh', 'Đoàn', 'Lưu'];
export const MALE_MIDDLE = ['Văn', 'Minh', 'Đức', 'Quang', 'Hữu', 'Gia', 'Anh', 'Tuấn', 'Hoàng', 'Bảo'];
export const FEMALE_MIDDLE = ['Thị', 'Ngọc', 'Thu', 'Thanh', 'Minh', 'Khánh', 'Bảo', 'Phương', 'Hải', 'Diệu'];
export const MALE_GIVEN = ['Khang', 'Huy', 'Nam', 'Phúc', 'An', 'Minh', 'Long', 'Dũng', 'Hiếu', 'Kiên', 'Lâm', 'Sơn', 'Tùng', 'Đạt', 'Khôi', 'Quân', 'Thịnh', 'Vinh', 'Hưng', 'Trí'];
export const FEMALE_GIVEN = ['Linh', 'Ngân', 'Hà', 'Trang', 'Vy', 'Chi', 'My', 'Anh', 'Thảo', 'Nhi', 'Hương', 'Yến', 'Mai', 'Lan', 'Quyên', 'Hằng', 'Giang', 'Ánh', 'Uyên', 'Ngọc'];
export const DEPARTMENTS = ['Tổ Văn phòng', 'Tổ Toán - Tin', 'Tổ Ngữ văn', 'Khoa Nội', 'Khoa Ngoại', 'Phòng Kế toán', 'Xưởng may 2', 'Phòng Hành chính', 'Tổ bảo vệ', 'Phòng Kỹ thuật'];
export const SCHOOLS = ['Trường Mầm non Hoa Sữa', 'Trường Tiểu học Ngọc Lâm', 'Trường Tiểu học Gia Thụy', 'Trường THCS Gia Thụy', 'Trường THCS Ái Mộ', 'Trường THPT Nguyễn Gia Thiều', 'Trường Tiểu học Đoàn Khuê', 'Trường THCS Chu Văn An'];

/** A small deterministic generator, so every fresh start shows the same showroom. */
export function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const CONSENT_DATE = '2021-08-28';

/** 20–80 members' children for each Long Biên union, with a realistic spread of circumstances and one child registered twice. */
export async function loadDemoChildren(db: Db): Promise<void> {
  const random = rng(2021);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  const units = await db
    .select({ id: orgs.id, code: orgs.code })
    .from(orgs)
    .where(inArray(orgs.code, ['LB-THCS-GT', 'LB-BV-DG', 'LB-TH-NL', 'LB-MN-HS', 'LB-THCS-AM', 'LB-THPT-NGT', 'LB-TTYT', 'LB-UBND-BD', 'LB-UBND-Q', 'LB-MAY-DG', 'LB-DT-SD', 'LB-XD-LB', 'LB-VT-LB']));
  const memberRows: (typeof members.$inferInsert)[] = [];
  const childRows: (typeof children.$inferInsert & { id: string })[] = [];
  const links: { childId: string; memberId: string }[] = [];

  const addMember = (orgId: number, fullName: string, phone: string, department: string) => {
    const id = crypto.randomUUID();
    memberRows.push({ id, orgId, fullName, searchText: foldVietnamese(fullName), sortKey: vietnameseSortKey(fullName), department, phone, isUnionMember: random() > 0.05, matchKey: memberMatchKey(fullName, phone) });
    return id;
  };
  const addChild = (orgId: number, fullName: string, birthDate: string, sex: 'male' | 'female', parentIds: string[], circumstances: CircumstanceEntry[], achievements: AchievementEntry[]) => {
    const id = crypto.randomUUID();
    const sensitive = circumstances.some((c) => !['orphan', 'policy_family', 'especially_difficult'].includes(c.code));
    const consent = (givenBy: string) => ({ givenBy, date: CONSENT_DATE, method: 'paper' as const, recordedBy: 'demo', recordedAt: '2021-08-28T02:00:00.000Z' });
    childRows.push({
      id,
      orgId,
      fullName,
      searchText: foldVietnamese(fullName),
      sortKey: vietnameseSortKey(fullName),
      birthDate,
      sex,
      school: pick(SCHOOLS),
      grade: null,
      circumstances,
      achievements,
      parentConsent: circumstances.length ? consent(memberRows.find((m) => m.id === parentIds[0])!.fullName) : null,
      childConsent: sensitive && ageOn(birthDate, CONSENT_DATE) >= 7 ? consent(fullName) : null,
      dupKey: childDupKey(fullName, birthDate),
    });
    for (const memberId of parentIds) links.push({ childId: id, memberId });
    return id;
  };

  for (const unit of units) {
    const count = 20 + Math.floor(random() * 61);
    let made = 0;
    while (made < count) {
      const family = pick(FAMILY);
      const parentMale = random() < 0.45;
      const parentName = `${family} ${parentMale ? pick(MALE_MIDDLE) : pick(FEMALE_MIDDLE)} ${parentMale ? pick(MALE_GIVEN) : pick(FEMALE_GIVEN)}`;
      const phone = `09${Math.floor(random() * 1e8).toString().padStart(8, '0')}`;
      const parent = addMember(unit.id, parentName, phone, pick(DEPARTMENTS));
      const siblings = random() < 0.35 ? 2 : 1;
      for (let s = 0; s < siblings && made < count; s++, made++) {
        const male = random() < 0.5;
        const childFamily = parentMale ? family : pick(FAMILY);
        const name = `${childFamily} ${male ? pick(MALE_MIDDLE) : pick(FEMALE_MIDDLE)} ${male ? pick(MALE_GIVEN) : pick(FEMALE_GIVEN)}`;
        const year = 2009 + Math.floor(random() * 14);
        const birth = `${year}-${String(1 + Math.floor(random() * 12)).padStart(2, '0')}-${String(1 + Math.floor(random() * 28)).padStart(2, '0')}`;
        const circ: CircumstanceEntry[] = [];
        const r = random();
        if (r < 0.03) circ.push({ code: 'disability', level: random() < 0.5 ? 'mild' : 'severe' });
        else if (r < 0.045) circ.push({ code: 'dioxin' });
        else if (r < 0.1) circ.push({ code: 'poor_household' });
        else if (r < 0.15) circ.push({ code: 'near_poor_household' });
        else if (r < 0.18) circ.push({ code: 'policy_family' });
        else if (r < 0.19) circ.push({ code: 'orphan' });
        else if (r < 0.21) circ.push({ code: 'work_accident' });
        else if (r < 0.22) circ.push({ code: 'serious_illness' });
        else if (r < 0.24) circ.push({ code: 'especially_difficult', note: 'Bố mất sớm, mẹ làm lao động tự do' });
        const ach: AchievementEntry[] = [];
        if (ageOn(birth, '2021-06-01') >= 6 && random() < 0.3) ach.push({ schoolYear: '2020-2021', level: random() < 0.3 ? 'excellent' : random() < 0.5 ? 'overcoming' : 'good' });
        addChild(unit.id, name, birth, male ? 'male' : 'female', [parent], circ, ach);
      }
    }
  }

  // One child whose parents work in two unions, registered by both.
  const gt = units.find((u) => u.code === 'LB-THCS-GT')!.id;
  const dg = units.find((u) => u.code === 'LB-BV-DG')!.id;
  const father = addMember(gt, 'Nguyễn Văn Hùng', '0912345678', 'Tổ Toán - Tin');
  const mother = addMember(dg, 'Trần Thị Mai', '0987654321', 'Khoa Nhi');
  addChild(gt, 'Nguyễn Minh Khang', '2014-03-12', 'male', [father, mother], [], [{ schoolYear: '2020-2021', level: 'excellent' }]);
  addChild(dg, 'Nguyễn Minh Khang', '2014-03-12', 'male', [mother, father], [], []);

  await db.transaction(async (tx) => {
    for (let i = 0; i < memberRows.length; i += 500) await tx.insert(members).values(memberRows.slice(i, i + 500));
    for (let i = 0; i < childRows.length; i += 500) await tx.insert(children).values(childRows.slice(i, i + 500));
    for (let i = 0; i < links.length; i += 1000) await tx.insert(childParents).values(links.slice(i, i + 1000));
  });
}
