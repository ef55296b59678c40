import { deflateSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { describe, test } from 'vitest';
import { findPlan } from './plan-support';
import { expect, signIn, useBrowser } from './support';

// On a phone-sized screen (360 × 780), a grassroots union officer (cdcs1)
// records the unit's festival night on plan 45/KH-LĐLĐ, adds a photo taken on
// the phone (a PNG made here), and sees its thumbnail; a text file dressed as
// a photo is refused with a message in Vietnamese, and nothing is added.

/** A real PNG: width × height pixels of lantern red with a yellow band, RGB, no filter. */
function makePng(width: number, height: number): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc32 = (buf: Buffer) => {
    let c = 0xffffffff;
    for (const b of buf) c = crcTable[(c ^ b) & 0xff]! ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  const rows: Buffer[] = [];
  for (let y = 0; y < height; y++) {
    const row = Buffer.alloc(1 + width * 3);
    const band = y > height / 3 && y < (2 * height) / 3;
    for (let x = 0; x < width; x++) row.set(band ? [250, 200, 40] : [200, 30, 40], 1 + x * 3);
    rows.push(row);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** No element wider than the screen: the page does not scroll sideways. */
async function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

describe('Ghi hoạt động kèm ảnh chụp từ điện thoại', () => {
  const b = useBrowser();

  test('cdcs1 records a festival night on a 360 px screen and adds a photo; a text file named .jpg is refused', async () => {
    const { page } = b;
    await page.setViewportSize({ width: 360, height: 780 });
    await signIn(page, 'cdcs1@lantern.test');
    const plan45 = await findPlan(page, '45/KH-LĐLĐ', 'HN-LB');

    await page.goto(`/ke-hoach/${plan45.id}`);
    await page.getByTestId('campaign-tab-activities').click();
    await page.getByTestId('activities-tab').waitFor();

    // The form, full screen on the phone.
    await page.getByTestId('activity-add').click();
    const form = page.getByTestId('activity-form');
    await form.waitFor();
    const title = `Đêm hội trăng rằm cho con đoàn viên ${Date.now()}`;
    await form.getByTestId('activity-title').fill(title);
    const date = form.getByTestId('activity-held-on');
    await date.fill('20/9/2021');
    await date.blur();
    expect(await date.inputValue()).toBe('20/09/2021');
    await form.getByTestId('activity-place').fill('Sân trường THCS Gia Thụy');
    await form.getByTestId('activity-children').fill('85');
    await form.getByTestId('activity-parents').fill('40');
    await form.getByTestId('activity-members').fill('32');
    await form.getByTestId('activity-topic-traditional_culture').check();
    await form.getByTestId('activity-topic-homemade_toys').check();
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    await form.getByTestId('activity-save').click();
    await form.waitFor({ state: 'detached' });

    // The new activity, with its figures.
    const card = page.locator('[data-testid^="activity-"][data-status="held"]').filter({ hasText: title });
    await card.waitFor();
    const cardText = (await card.textContent()) ?? '';
    expect(cardText).toContain('Đêm hội trăng rằm');
    expect(cardText).toContain('20/09/2021');
    expect(cardText).toContain('157 người tham gia');
    expect(cardText).toContain('Đồ chơi tự làm, đồ chơi sản xuất trong nước');
    const activityId = ((await card.getAttribute('data-testid')) ?? '').slice('activity-'.length);
    expect(activityId).toMatch(/^[0-9a-f-]{36}$/);

    // The camera button opens an input that asks for the camera and takes photos or PDFs.
    const camera = page.getByTestId(`activity-camera-input-${activityId}`);
    expect(await camera.getAttribute('accept')).toBe('image/*,application/pdf');
    expect(await camera.getAttribute('capture')).not.toBeNull();

    // A photo "taken" on the phone.
    const png = makePng(320, 240);
    await camera.setInputFiles({ name: 'IMG_20210920_193000.png', mimeType: 'image/png', buffer: png });
    const grid = page.getByTestId(`activity-files-${activityId}`);
    const thumb = grid.locator('img');
    await thumb.first().waitFor();
    await page.waitForFunction((id) => {
      const img = document.querySelector<HTMLImageElement>(`[data-testid="activity-files-${id}"] img`);
      return !!img && img.complete && img.naturalWidth > 0;
    }, activityId);
    expect(await thumb.count()).toBe(1);
    expect(await thumb.first().getAttribute('src')).toMatch(/^\/api\/v1\/activity-files\/[0-9a-f-]{36}\/thumbnail$/);
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);

    // Stored (re-encoded without metadata), with a thumbnail.
    const files = await page.request.get(`/api/v1/activities/${activityId}/files`);
    const items = ((await files.json()) as { items: { url: string; contentType: string; size: number; fileName: string }[] }).items;
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ contentType: 'image/png', fileName: 'IMG_20210920_193000.png' });
    const stored = Buffer.from(await (await page.request.get(items[0]!.url)).body());
    expect(stored.length).toBe(items[0]!.size);
    // A PNG whose header gives the same width and height as the photo sent.
    expect(stored.subarray(1, 4).toString()).toBe('PNG');
    expect(stored.readUInt32BE(16)).toBe(png.readUInt32BE(16));
    expect(stored.readUInt32BE(20)).toBe(png.readUInt32BE(20));

    // A text file named like a photo: refused by its content, nothing added.
    await page.getByTestId(`activity-file-input-${activityId}`).setInputFiles({ name: 'anh.jpg', mimeType: 'image/jpeg', buffer: Buffer.from('Đây không phải là ảnh.\n') });
    const errors = page.getByTestId(`activity-upload-errors-${activityId}`);
    await errors.waitFor();
    expect(await errors.textContent()).toContain('không phải ảnh JPEG, PNG, WebP hoặc tài liệu PDF');
    expect(await thumb.count()).toBe(1);
    const after = await page.request.get(`/api/v1/activities/${activityId}/files`);
    expect(((await after.json()) as { items: unknown[] }).items).toHaveLength(1);
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
  });
});
