import { test, expect, Page, BrowserContext } from '@playwright/test';
import { query, storedIds, village } from './db';

const PASSWORD = 'zhucun-demo-2026';

async function login(page: Page, context: BrowserContext, user: string) {
  await context.grantPermissions(['geolocation']);
  // Standing in the middle of the village, with a 20 m fix.
  await context.setGeolocation({ ...village(user), accuracy: 20 });
  await page.goto('/login');
  await page.getByLabel('用户名').fill(user);
  await page.getByLabel('密码').fill(PASSWORD);
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page).toHaveURL(/\/field$/);
  await page.waitForSelector('body[data-hydrated]');
  // The reference data (village, households) has arrived.
  await expect(page.getByRole('heading', { name: '本周本月' })).toBeVisible();
}

/** A 2400×1800 camera-like photo (noise compresses badly), as JPEG bytes. */
async function bigPhoto(page: Page): Promise<Buffer> {
  const dataUrl = await page.evaluate(() => {
    const c = document.createElement('canvas');
    c.width = 2400;
    c.height = 1800;
    const g = c.getContext('2d')!;
    const img = g.createImageData(c.width, c.height);
    for (let i = 0; i < img.data.length; i++) img.data[i] = (i % 4 === 3) ? 255 : Math.random() * 255;
    g.putImageData(img, 0, 0);
    return c.toDataURL('image/jpeg', 0.95);
  });
  return Buffer.from(dataUrl.split(',')[1], 'base64');
}

async function addPhoto(page: Page, label: string | RegExp, count = '已添加 1 张照片') {
  const photo = await bigPhoto(page);
  await page.getByLabel(label).setInputFiles({ name: 'photo.jpg', mimeType: 'image/jpeg', buffer: photo });
  await expect(page.getByTestId('photo-count')).toHaveText(count);
}

async function submit(page: Page) {
  await page.getByRole('button', { name: '提交' }).click();
  await expect(page.getByRole('status')).toHaveText('已保存，等待同步');
}

test('offline: one record of each kind with photos survives a reload and reaches the server exactly once', async ({ page, context, browser }) => {
  const user = 'sj003';
  await login(page, context, user);
  await page.waitForFunction(async () => {
    await navigator.serviceWorker.ready;
    return navigator.serviceWorker.controller !== null;
  });
  await context.setOffline(true);
  await expect(page.getByText('离线', { exact: true })).toBeVisible();

  // Check-in: one tap, then a photo. The home screen says whether today is done.
  await expect(page.getByTestId('today')).toHaveText('今日未签到');
  await page.getByRole('button', { name: '签到' }).click();
  await expect(page.getByRole('status')).toHaveText(/^已签到，在村范围内（距村中心 \d+ 米，待同步）$/);
  // The check-in is kept already: the way back says so, not "cancel".
  await expect(page.getByRole('link', { name: '不加照片，返回首页' })).toBeVisible();
  await expect(page.getByRole('link', { name: '取消' })).toHaveCount(0);
  await addPhoto(page, '照片（可选）');
  await submit(page);
  await expect(page.getByTestId('today')).toHaveText(/^今日已签到 \d\d:\d\d（在村）$/);

  await page.getByRole('link', { name: '民情日记' }).click();
  await page.getByLabel('日记内容').fill('走访了村东头，群众反映道路需要硬化。');
  await page.getByLabel('基础设施').check();
  const household = page.getByRole('group', { name: '涉及帮扶户' }).getByRole('checkbox').first();
  const householdName = (await household.evaluate((e: HTMLInputElement) => e.labels?.[0]?.textContent ?? '')).trim();
  expect(householdName).not.toBe('');
  await household.check();
  await addPhoto(page, '照片');
  await submit(page);

  await page.getByRole('link', { name: '会议记录' }).click();
  await expect(page.getByLabel('会议类型')).toHaveValue('liang_wei_weekly');
  await page.getByLabel('参会人数').fill('9');
  await page.getByLabel('议题').fill('冬季防火安排');
  await page.getByLabel('决定事项').fill('成立巡查小组');
  await addPhoto(page, '照片');
  await submit(page);

  await page.getByRole('link', { name: '走访帮扶户' }).click();
  await page.getByLabel('帮扶户').selectOption({ index: 1 });
  await page.getByLabel('走访记录').fill('了解就业意愿，推荐到合作社务工。');
  await page.getByLabel('安排就业').check();
  await addPhoto(page, '照片');
  await submit(page);

  await page.getByRole('link', { name: '谈心谈话' }).click();
  await page.getByLabel('谈话对象').selectOption('party_member');
  await page.getByLabel('谈话记录').fill('谈入党积极分子培养。');
  await submit(page);

  await page.getByRole('link', { name: '调研报告' }).click();
  await page.getByLabel('报告标题').fill('关于发展特色种植的调研');
  await page.getByLabel(/^附件/).setInputFiles({ name: 'report.jpg', mimeType: 'image/jpeg', buffer: await bigPhoto(page) });
  await expect(page.getByText('已附文件')).toBeVisible();
  await submit(page);

  // A draft is kept but not sent.
  await page.getByRole('link', { name: '民情日记' }).click();
  await page.getByLabel('日记内容').fill('未写完');
  await page.getByRole('button', { name: '存草稿' }).click();
  await expect(page.getByRole('status')).toHaveText('草稿已保存');

  // An unsynced record may still be edited: it keeps its id.
  await page.getByRole('link', { name: '全部记录' }).click();
  await page.getByRole('listitem').filter({ hasText: '谈心谈话' }).getByRole('link', { name: '修改' }).click();
  await page.getByLabel('谈话记录').fill('谈入党积极分子培养（已补充）。');
  await submit(page);

  await expect(page.getByTestId('unsynced')).toContainText('未同步 7 条');
  // Logging out would strand them.
  await page.getByRole('button', { name: '退出登录' }).click();
  // (Beside it, an automatic attempt made meanwhile may say the server is out of reach.)
  await expect(page.getByRole('alert').filter({ hasText: '还有 7 条记录未同步' })).toBeVisible();

  // Reload with the network still off: everything is still there.
  await page.reload();
  await page.waitForSelector('body[data-hydrated]');
  await page.getByRole('link', { name: '全部记录' }).click();
  const list = page.getByRole('list', { name: '记录列表' });
  await expect(list.getByRole('listitem')).toHaveCount(7);
  await expect(list.getByText('待同步')).toHaveCount(6);
  await expect(list.getByText('草稿')).toHaveCount(1);
  expect(storedIds(user)).toEqual([]);

  // The network returns: the app syncs by itself, photos included.
  await context.setOffline(false);
  await expect(page.getByTestId('unsynced')).toHaveText('未同步 1 条，最早一条 0 分钟前', { timeout: 30_000 });
  await expect(list.getByText('已同步')).toHaveCount(6, { timeout: 30_000 });

  const localIds = await page.evaluate(async () => {
    const db: IDBDatabase = await new Promise((ok, err) => {
      const r = indexedDB.open('zhucun-field');
      r.onsuccess = () => ok(r.result);
      r.onerror = () => err(r.error);
    });
    const all: string[] = await new Promise((ok) => {
      const r = db.transaction('records').objectStore('records').getAll();
      r.onsuccess = () => ok(r.result);
    });
    return all.map((s) => JSON.parse(s)).filter((r) => r.state === 'synced').map((r) => r.envelope.id).sort();
  });
  expect(localIds).toHaveLength(6);
  expect(storedIds(user)).toEqual(localIds);
  const kinds = query(
    `SELECT r.kind, r.verdict, r.offline FROM field_records r JOIN accounts a ON a.id = r.secretary_id
      WHERE a.username = '${user}' ORDER BY r.kind`,
  );
  expect(kinds.map((k) => k[0])).toEqual(['check_in', 'diary', 'meeting', 'research', 'talk', 'visit']);
  expect(kinds[0]).toEqual(['check_in', 'verified', 't']);
  // Five photos (each taken at over 1 MB) arrived, each shrunk to at most 200 KB.
  const photos = query(
    `SELECT p.size FROM photos p JOIN accounts a ON a.id = p.secretary_id WHERE a.username = '${user}'`,
  );
  expect(photos).toHaveLength(5);
  for (const [bytes] of photos) expect(Number(bytes)).toBeLessThanOrEqual(200 * 1024);

  expect(query(`SELECT r.body->'body'->>'notes' FROM field_records r JOIN accounts a ON a.id = r.secretary_id
                 WHERE a.username = '${user}' AND r.kind = 'talk'`)).toEqual([['谈入党积极分子培养（已补充）。']]);

  // A synced record opens in full: its whole text, its tags, the household by name, its photo,
  // both clocks. The list names the visit's household and the check-in's distance.
  const [[visited]] = query(`SELECT h.head_name FROM field_records r JOIN accounts a ON a.id = r.secretary_id
      JOIN households h ON h.id = (r.body->'body'->>'household_id')::bigint WHERE a.username = '${user}' AND r.kind = 'visit'`);
  await expect(list.getByRole('listitem').filter({ hasText: '走访帮扶户' })).toContainText(visited);
  await expect(list.getByRole('listitem').filter({ hasText: '签到' }).first()).toContainText(/距村中心 \d+ m/);
  await list.getByRole('listitem').filter({ hasText: '走访了村东头' }).getByRole('link', { name: '查看' }).click();
  const diary = page.getByLabel('记录内容');
  await expect(diary).toContainText('走访了村东头，群众反映道路需要硬化。');
  await expect(diary).toContainText('基础设施');
  await expect(diary).toContainText(householdName);
  await expect(diary).toContainText('服务器收到');
  const thumb = page.getByRole('list', { name: '照片' }).getByRole('img', { name: '记录照片' });
  await expect(thumb).toHaveCount(1);
  await expect.poll(() => thumb.evaluate((i: HTMLImageElement) => i.complete && i.naturalWidth)).toBeGreaterThan(0);
  await page.getByRole('link', { name: '返回记录列表' }).click();

  // The draft is finished and sent.
  await list.getByRole('listitem').filter({ hasText: '草稿' }).getByRole('link', { name: '修改' }).click();
  await expect(page.getByLabel('日记内容')).toHaveValue('未写完');
  await page.getByLabel('日记内容').fill('写完了：村里的路灯已修好。');
  await submit(page);
  await expect(page.getByTestId('unsynced')).toHaveText('全部已同步', { timeout: 30_000 });
  expect(storedIds(user)).toHaveLength(7);

  // The home screen counts what was done.
  await page.getByRole('link', { name: '我的驻村' }).click();
  await expect(page.getByTestId('days-week')).toHaveText('1');
  await expect(page.getByTestId('meeting')).toHaveText('本周两委例会：已记录');
  await expect(page.getByTestId('diary-age')).toHaveText('0 天');

  // A new phone (a fresh browser profile) reads the same records back from the server: all
  // synced, none editable, opened in full with the photo from the server.
  const fresh = await browser.newContext({ ...test.info().project.use, serviceWorkers: 'block' });
  const other = await fresh.newPage();
  await login(other, fresh, user);
  await expect(other.getByTestId('diary-age')).toHaveText('0 天');
  await other.getByRole('link', { name: '全部记录' }).click();
  const restored = other.getByRole('list', { name: '记录列表' });
  await expect(restored.getByRole('listitem')).toHaveCount(7, { timeout: 30_000 });
  await expect(restored.getByText('已同步')).toHaveCount(7);
  await expect(restored.getByRole('link', { name: '修改' })).toHaveCount(0);
  await expect(other.getByText('已列出全部记录')).toBeVisible();
  await restored.getByRole('listitem').filter({ hasText: '走访了村东头' }).getByRole('link', { name: '查看' }).click();
  await expect(other.getByLabel('记录内容')).toContainText(householdName);
  const served = other.getByRole('list', { name: '照片' }).getByRole('img', { name: '记录照片' });
  await expect.poll(() => served.evaluate((i: HTMLImageElement) => i.complete && i.naturalWidth)).toBeGreaterThan(0);
  await fresh.close();
});

test.describe('a lost answer', () => {
  // The service worker stays out of the way, so the test can cut the connection itself.
  test.use({ serviceWorkers: 'block' });

  test('the server committed but the phone never heard: the next sync duplicates nothing', async ({ page, context }) => {
    const user = 'sj004';
    await login(page, context, user);
    await context.setOffline(true);
    await page.getByRole('link', { name: '谈心谈话' }).click();
    await page.getByLabel('谈话记录').fill('村民反映低保申请进度。');
    await page.getByLabel('群众主动约谈').check();
    await submit(page);

    let pushes = 0;
    await page.route('**/sync/push', async (route) => {
      pushes += 1;
      await route.fetch(); // the server stores the record …
      await route.abort('connectionreset'); // … and the answer is lost on the way back
    });
    await context.setOffline(false);
    await expect(page.getByRole('alert')).toContainText('无法连接服务器', { timeout: 30_000 });
    expect(pushes).toBe(1);
    expect(storedIds(user)).toHaveLength(1);
    await expect(page.getByTestId('unsynced')).toContainText('未同步 1 条');

    await page.unroute('**/sync/push');
    await page.getByRole('button', { name: '立即同步' }).click();
    await expect(page.getByTestId('unsynced')).toHaveText('全部已同步');
    expect(storedIds(user)).toHaveLength(1);
  });
});
