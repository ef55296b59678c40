import { sql } from 'drizzle-orm';
import type { Db } from '../client';
import { roleGrants, users } from '../schema/index';
import { systemActor } from '../../lib/audit';
import type { AuthContext } from '../../lib/authorization';
import { hashPassword } from '../../lib/crypto';
import { withTransaction } from '../../lib/transaction';
import { foldVietnamese } from '../../../common/vietnamese';
import type { OrgKind } from '../../../common/org-kinds';
import type { Role } from '../../../common/permissions';
import { insertOrg, mergeOrg } from '../../modules/orgs/orgs.service';
import type { OrgRow } from '../../modules/orgs/orgs.queries';
import { loadDemoBenefits, loadDemoCampaigns } from './campaigns';
import { loadDemoChildren } from './children';
import { loadDemoActivities } from './activities';
import { loadDemoFunds } from './funds';
import { loadDemoReports } from './reports';

export const DEMO_PASSWORD = 'TrungThu@2021';

interface UnitSeed {
  code: string;
  name: string;
  shortName: string;
  kind: OrgKind;
  emails?: string[];
  phone?: string;
  validFrom?: string;
  children?: UnitSeed[];
}

const cdcs = (code: string, name: string, shortName: string, email: string, phone: string, validFrom = '2012-01-01'): UnitSeed => ({
  code,
  name,
  shortName,
  kind: 'grassroots',
  emails: [email],
  phone,
  validFrom,
});

/** Hà Nội city federation, the Long Biên district of the seed plan, and a second district for contrast. */
export const DEMO_TREE: UnitSeed = {
  code: 'HN',
  name: 'Liên đoàn Lao động Thành phố Hà Nội',
  shortName: 'LĐLĐ Thành phố Hà Nội',
  kind: 'provincial_federation',
  emails: ['vanphong@congdoanhanoi.vn'],
  phone: '024 3825 3247',
  validFrom: '2008-08-01',
  children: [
    {
      code: 'HN-LB',
      name: 'Liên đoàn Lao động quận Long Biên',
      shortName: 'LĐLĐ quận Long Biên',
      kind: 'district_federation',
      emails: ['ldldlongbien@gmail.com'],
      phone: '024 3872 5131',
      validFrom: '2004-01-01',
      children: [
        cdcs('LB-THCS-GT', 'Công đoàn Trường THCS Gia Thụy', 'CĐ THCS Gia Thụy', 'cd.thcsgiathuy@longbien.edu.vn', '024 3827 3016'),
        cdcs('LB-BV-DG', 'Công đoàn Bệnh viện Đa khoa Đức Giang', 'CĐ BVĐK Đức Giang', 'congdoan@bvducgiang.vn', '024 3827 1543'),
        cdcs('LB-TH-NL', 'Công đoàn Trường Tiểu học Ngọc Lâm', 'CĐ TH Ngọc Lâm', 'cd.thngoclam@longbien.edu.vn', '024 3873 2291'),
        cdcs('LB-MN-HS', 'Công đoàn Trường Mầm non Hoa Sữa', 'CĐ MN Hoa Sữa', 'cd.mnhoasua@longbien.edu.vn', '024 3652 0878'),
        cdcs('LB-THCS-AM', 'Công đoàn Trường THCS Ái Mộ', 'CĐ THCS Ái Mộ', 'cd.thcsaimo@longbien.edu.vn', '024 3827 2153'),
        cdcs('LB-THPT-NGT', 'Công đoàn Trường THPT Nguyễn Gia Thiều', 'CĐ THPT Nguyễn Gia Thiều', 'congdoan.ngt@hanoiedu.vn', '024 3827 1828'),
        cdcs('LB-TTYT', 'Công đoàn Trung tâm Y tế quận Long Biên', 'CĐ TTYT Long Biên', 'congdoan.ttyt@longbien.gov.vn', '024 3875 1002'),
        cdcs('LB-UBND-BD', 'Công đoàn cơ quan UBND phường Bồ Đề', 'CĐ UBND phường Bồ Đề', 'cd.ubndbode@longbien.gov.vn', '024 3873 4412'),
        cdcs('LB-UBND-Q', 'Công đoàn cơ quan UBND quận Long Biên', 'CĐ cơ quan UBND quận', 'congdoan.ubnd@longbien.gov.vn', '024 3827 0506'),
        cdcs('LB-MAY-DG', 'Công đoàn Công ty Cổ phần May Đức Giang', 'CĐ May Đức Giang', 'congdoan@ducgiang.com.vn', '024 3827 1750'),
        cdcs('LB-DT-SD', 'Công đoàn Công ty TNHH Điện tử Sài Đồng', 'CĐ Điện tử Sài Đồng', 'congdoan@dientusaidong.vn', '024 3675 5120', '2016-03-01'),
        cdcs('LB-XD-LB', 'Công đoàn Công ty CP Đầu tư và Xây dựng Long Biên', 'CĐ Xây dựng Long Biên', 'congdoan@xaydunglongbien.vn', '024 3652 4470'),
        cdcs('LB-VT-LB', 'Công đoàn Công ty CP Vận tải Thủy bộ Long Biên', 'CĐ Vận tải Long Biên', 'congdoan@vantailongbien.vn', '024 3827 9931', '2010-06-01'),
      ],
    },
    {
      code: 'HN-HK',
      name: 'Liên đoàn Lao động quận Hoàn Kiếm',
      shortName: 'LĐLĐ quận Hoàn Kiếm',
      kind: 'district_federation',
      emails: ['ldldhoankiem@hanoi.gov.vn'],
      phone: '024 3825 4408',
      validFrom: '2004-01-01',
      children: [
        cdcs('HK-THCS-TV', 'Công đoàn Trường THCS Trưng Vương', 'CĐ THCS Trưng Vương', 'cd.thcstrungvuong@hoankiem.edu.vn', '024 3825 6342'),
        cdcs('HK-TH-DB', 'Công đoàn Trường Tiểu học Điện Biên', 'CĐ TH Điện Biên', 'cd.thdienbien@hoankiem.edu.vn', '024 3825 3861'),
        cdcs('HK-TM-TT', 'Công đoàn Công ty CP Thương mại Tràng Tiền', 'CĐ TM Tràng Tiền', 'congdoan@trangtien.com.vn', '024 3825 6120'),
        cdcs('HK-UBND-HB', 'Công đoàn cơ quan UBND phường Hàng Bạc', 'CĐ UBND phường Hàng Bạc', 'cd.ubndhangbac@hoankiem.gov.vn', '024 3828 1195'),
      ],
    },
  ],
};

export const DEMO_ACCOUNTS: { email: string; fullName: string; role: Role; orgCode: string }[] = [
  { email: 'admin@lantern.test', fullName: 'Trần Minh Quản', role: 'admin', orgCode: 'HN' },
  { email: 'hanoi@lantern.test', fullName: 'Nguyễn Thị Thanh Hà', role: 'federation_officer', orgCode: 'HN' },
  { email: 'longbien@lantern.test', fullName: 'Lê Văn Đức', role: 'federation_officer', orgCode: 'HN-LB' },
  { email: 'cdcs1@lantern.test', fullName: 'Phạm Thị Hồng Nhung', role: 'unit_officer', orgCode: 'LB-THCS-GT' },
  { email: 'cdcs2@lantern.test', fullName: 'Đỗ Quang Huy', role: 'unit_officer', orgCode: 'LB-BV-DG' },
  { email: 'kiemtra@lantern.test', fullName: 'Vũ Thị Kim Oanh', role: 'viewer', orgCode: 'HN-LB' },
  { email: 'hoankiem@lantern.test', fullName: 'Bùi Anh Tuấn', role: 'federation_officer', orgCode: 'HN-HK' },
];

/** True when the database has no units yet (demo data loads only then). */
export async function isEmpty(db: Db): Promise<boolean> {
  const res = await db.execute(sql`select not exists (select 1 from orgs) as empty`);
  return (res.rows[0] as { empty: boolean }).empty;
}

/**
 * The showroom: the union tree, the demo accounts, and one piece of history
 * (a company union merged in 2024) so the tree of an earlier date differs.
 */
export async function loadDemoData(db: Db): Promise<void> {
  const byCode = new Map<string, OrgRow>();
  const hash = await hashPassword(DEMO_PASSWORD);
  await withTransaction(db, async (tx) => {
    const walk = async (u: UnitSeed, parent: OrgRow | null) => {
      const row = await insertOrg(tx, systemActor, parent, {
        code: u.code,
        name: u.name,
        shortName: u.shortName,
        kind: u.kind,
        emails: u.emails ?? [],
        phone: u.phone ?? null,
        validFrom: u.validFrom ?? '2010-01-01',
      });
      byCode.set(u.code, row);
      for (const c of u.children ?? []) await walk(c, row);
    };
    await walk(DEMO_TREE, null);
    // A union that existed in 2021 and merged into another in 2024.
    await insertOrg(tx, systemActor, byCode.get('HN-LB')!, {
      code: 'LB-XD-SD',
      name: 'Công đoàn Công ty CP Xây dựng Sài Đồng',
      shortName: 'CĐ Xây dựng Sài Đồng',
      kind: 'grassroots',
      emails: ['congdoan@xaydungsaidong.vn'],
      phone: '024 3875 3308',
      validFrom: '2011-05-01',
    }).then((r) => byCode.set(r.code, r));

    for (const a of DEMO_ACCOUNTS) {
      const [u] = await tx
        .insert(users)
        .values({ email: a.email, fullName: a.fullName, passwordHash: hash, searchText: foldVietnamese(`${a.fullName} ${a.email}`) })
        .returning();
      await tx.insert(roleGrants).values({ userId: u!.id, orgId: byCode.get(a.orgCode)!.id, role: a.role });
    }
  });
  const root = byCode.get('HN')!;
  const admin: AuthContext = {
    user: { id: '00000000-0000-0000-0000-000000000000', email: 'system', fullName: 'Hệ thống', locale: 'vi' },
    sessionId: 'seed',
    csrfToken: 'seed',
    grants: [{ id: 'seed', role: 'admin', orgId: root.id, orgCode: root.code, orgName: root.name, orgPath: root.path }],
    actor: systemActor,
  };
  await loadDemoCampaigns(db, admin);
  await loadDemoChildren(db);
  // Money first: a benefit is refused when its source has too little left.
  await loadDemoFunds(db, admin);
  await loadDemoBenefits(db, admin);
  await loadDemoActivities(db, admin);
  await loadDemoReports(db, admin);
  await mergeOrg(db, admin, byCode.get('LB-XD-SD')!.id, { survivorId: byCode.get('LB-XD-LB')!.id, effectiveDate: '2024-08-01' });
}
