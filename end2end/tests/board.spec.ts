import { test, expect } from '@playwright/test';
import { fullTimeSecretaryIn, query, village } from './db';
import { login, phone } from './session';

function chinaToday(): { day: number; iso: string; monthStart: string } {
  const iso = new Date().toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' });
  return { day: Number(iso.slice(8, 10)), iso, monthStart: `${iso.slice(0, 8)}01` };
}

test('the board follows the phones: an offline check-in, a roll call answered, leave that ends an absence alert', async ({ page, browser }) => {
  const secretary = fullTimeSecretaryIn('榴园镇');
  await login(page, 'zj.liuyuan');
  await expect(page.getByRole('heading', { level: 1, name: '考勤看板' })).toBeVisible();
  const board = page.getByRole('table', { name: '考勤看板' });
  const row = board.getByRole('row').filter({ hasText: secretary.name });
  await expect(row.locator('td.status')).toHaveText('未签到');
  const { day, iso, monthStart } = chinaToday();
  // Early in a month every past day may have been a holiday; from the 4th on one was worked.
  if (day >= 4) await expect(row.locator('[data-alert="absent"]')).toBeVisible();

  // The secretary checks in with no signal; the phone syncs when the network returns.
  const field = await phone(browser, secretary.username);
  await field.context().setOffline(true);
  await field.getByRole('button', { name: '签到' }).click();
  await field.getByRole('button', { name: '提交' }).click();
  await expect(field.getByTestId('unsynced')).toContainText('未同步 1 条');
  await field.context().setOffline(false);
  await expect(field.getByTestId('unsynced')).toHaveText('全部已同步', { timeout: 30_000 });
  // The open board changes without a reload.
  await expect(row.locator('td.status')).toHaveText('已签到（在村）');
  await expect(row).toContainText('手机');

  // A roll call: the phone shows it, a check-in answers it, the board shows the answer.
  await page.getByLabel('应答时限（分钟）').fill('30');
  await page.getByRole('button', { name: '发起点名' }).click();
  const rollCall = page.getByRole('region', { name: '点名' });
  await expect(rollCall.getByText(`${secretary.name} · 未应答`)).toBeVisible();
  await field.getByRole('button', { name: '立即同步' }).click();
  await expect(field.getByRole('alert').filter({ hasText: '镇街点名' })).toBeVisible();
  await field.getByRole('button', { name: '签到' }).click();
  await field.getByRole('button', { name: '提交' }).click();
  await expect(field.getByTestId('unsynced')).toHaveText('全部已同步', { timeout: 30_000 });
  await expect(rollCall.getByText(new RegExp(`${secretary.name} · .* 在村应答`))).toBeVisible();
  await expect(field.getByRole('alert').filter({ hasText: '镇街点名' })).toHaveCount(0);

  // Leave for the month so far, asked from the phone and approved on the board.
  await field.getByRole('link', { name: '请假' }).click();
  await field.getByLabel('开始日期').fill(monthStart);
  await field.getByLabel('结束日期').fill(iso);
  await field.getByLabel('请假事由').fill('参加县里集中培训');
  await field.getByRole('button', { name: '提交申请' }).click();
  await expect(field.getByRole('status')).toHaveText('请假申请已提交，等待镇街审批');
  await expect(field.getByRole('region', { name: '我的请假' })).toContainText('待审批');
  await page.getByRole('button', { name: `批准 ${secretary.name}` }).click();
  await expect(row.locator('td.status')).toHaveText('请假');
  await expect(row.locator('[data-alert="absent"]')).toHaveCount(0);
  await field.context().close();

  // Click through to the secretary's records.
  await board.getByRole('link', { name: secretary.name }).click();
  await expect(page.getByRole('heading', { level: 1, name: new RegExp(secretary.name) })).toBeVisible();
  const records = page.getByRole('list', { name: '记录' }).getByRole('listitem');
  await expect(records).toHaveCount(2);
  await expect(records.first()).toContainText('签到 · 在村');
  // The timeline filtered by kind and day; the filter is in the address.
  const filter = page.getByRole('form', { name: '筛选记录' });
  await filter.getByLabel('类型').selectOption({ label: '民情日记' });
  await filter.getByRole('button', { name: '筛选' }).click();
  await expect(page).toHaveURL(/kind=diary/);
  await expect(records).toHaveCount(0);
  await filter.getByLabel('类型').selectOption({ label: '签到' });
  await filter.getByLabel('从').fill(iso);
  await filter.getByRole('button', { name: '筛选' }).click();
  await expect(page).toHaveURL(/kind=check_in/);
  await expect(records).toHaveCount(2);
});

test('a visit recorded offline with no check-in puts the secretary in the village on the board', async ({ page, browser }) => {
  const secretary = fullTimeSecretaryIn('榴园镇', 2);
  await login(page, 'zj.liuyuan');
  const row = page.getByRole('table', { name: '考勤看板' }).getByRole('row').filter({ hasText: secretary.name });
  await expect(row.locator('td.status')).toHaveText('未签到');

  // No check-in: the visit itself, made in the village with the phone's position, is the evidence.
  const field = await phone(browser, secretary.username);
  await field.context().setOffline(true);
  await field.getByRole('link', { name: '走访帮扶户' }).click();
  await expect(field.getByLabel('附上当前位置（计入在村天数，选填）')).toBeChecked();
  await expect(field.getByTestId('position')).toHaveText(/^已附位置：距村中心 \d+ m（±20 m）$/);
  await field.getByLabel('帮扶户').selectOption({ index: 1 });
  await field.getByLabel('走访记录').fill('了解春耕用种需求，联系农技站上门指导。');
  await field.getByRole('button', { name: '提交' }).click();
  await expect(field.getByRole('status')).toHaveText('已保存，等待同步');
  await expect(field.getByTestId('today')).toHaveText(/^今日在村：走访帮扶户 \d\d:\d\d（无需另行签到）$/);
  await field.context().setOffline(false);
  await expect(field.getByTestId('unsynced')).toHaveText('全部已同步', { timeout: 30_000 });
  await field.context().close();

  await expect(row.locator('td.status')).toHaveText('在村（有工作记录）');
  await row.getByRole('link', { name: secretary.name }).click();
  await expect(page.getByRole('list', { name: '记录' }).getByRole('listitem').first()).toContainText(/走访帮扶户 · 在村/);
});

test('a check-in away from the village is a warning with its distance and an optional reason the township reads', async ({ page, browser }) => {
  const secretary = fullTimeSecretaryIn('榴园镇', 1);
  const centre = village(secretary.username);
  // About 2.2 km north of the village centre.
  const context = await browser.newContext({
    ...test.info().project.use,
    geolocation: { latitude: centre.latitude + 0.02, longitude: centre.longitude, accuracy: 20 },
    permissions: ['geolocation'],
    serviceWorkers: 'block',
  });
  const field = await context.newPage();
  await login(field, secretary.username);
  await field.getByRole('button', { name: '签到', exact: true }).click();
  // (The other test's roll call may be showing too: it calls the whole township.)
  await expect(field.getByRole('alert').filter({ hasText: '已签到' })).toHaveText(/^已签到，但不在村范围内，将由镇街核实（距村中心 2\d{3} 米，待同步）$/);
  await expect(field.getByRole('status')).toHaveCount(0);
  await field.getByLabel('不在村范围的原因（选填）').fill('陪同困难户到县医院办理报销');
  await field.getByRole('button', { name: '提交' }).click();
  await expect(field.getByTestId('today')).toHaveText(/^今日已签到 \d\d:\d\d（不在村范围，待镇街核实）$/);
  await expect(field.getByTestId('unsynced')).toHaveText('全部已同步', { timeout: 30_000 });
  await context.close();

  await login(page, 'zj.liuyuan');
  // The roll call's picker narrows to a village and selects whoever it lists.
  const [[villageName]] = query(
    `SELECT v.name FROM postings p JOIN villages v ON v.id = p.village_id JOIN accounts a ON a.id = p.secretary_id
      WHERE a.username = '${secretary.username}' AND posting_is_current(p.village_id, p.term_start, coalesce(p.ended_on, p.term_end))`,
  );
  await page.getByText('点名对象（不选则全部）').click();
  await page.getByLabel('按村名筛选').fill(villageName);
  const listed = page.getByRole('region', { name: '点名' }).getByRole('checkbox');
  await expect(listed).toHaveCount(1);
  await page.getByRole('button', { name: '选中所列 1 人' }).click();
  await expect(page.getByRole('checkbox', { name: `${secretary.name} · ${villageName}` })).toBeChecked();
  await expect(page.getByText('点名对象：已选 1 人')).toBeVisible();
  await page.getByRole('button', { name: '清除选择' }).click();
  await expect(page.getByText('点名对象（不选则全部）')).toBeVisible();

  // The timeline shows the check-in as outside, with its distance and the reason.
  const board = page.getByRole('table', { name: '考勤看板' });
  await board.getByRole('link', { name: secretary.name }).click();
  const records = page.getByRole('list', { name: '记录' }).getByRole('listitem');
  await expect(records.first()).toContainText('签到 · 村外');
  await expect(records.first()).toContainText('原因：陪同困难户到县医院办理报销');
});

test('the department opens the board of any township of its district', async ({ page }) => {
  await login(page, 'zzb');
  await page.goto('/township');
  await page.waitForSelector('body[data-hydrated]');
  await expect(page.getByRole('heading', { level: 1, name: '考勤看板' })).toBeVisible();
  await expect(page.getByRole('table', { name: '考勤看板' })).toHaveCount(0);
  await page.getByLabel('镇街').selectOption({ label: '峨山镇' });
  await expect(page).toHaveURL(/\/township\?township=\d+$/);
  await expect(page.getByRole('table', { name: '考勤看板' })).toBeVisible();
  await expect(page.getByText(/^峨山镇 · /)).toBeVisible();
});

test('the board filters by village as soon as one is chosen, and keeps the filter in the address', async ({ page }) => {
  await login(page, 'zj.gushao');
  const board = page.getByRole('table', { name: '考勤看板' });
  const rows = board.locator('tbody tr');
  const all = await rows.count();
  const villages = page.getByRole('form', { name: '筛选看板' }).getByLabel('村（社区）');
  await expect(villages).toHaveValue('');
  const chosen = (await villages.locator('option').nth(1).textContent()) ?? '';
  // No button pressed: choosing sends the form.
  await villages.selectOption({ label: chosen });
  await expect(page).toHaveURL(new RegExp(`[?&]village=${encodeURIComponent(chosen)}(&|$)`));
  await page.waitForSelector('body[data-hydrated]');
  await expect(page.getByRole('form', { name: '筛选看板' }).getByLabel('村（社区）')).toHaveValue(chosen);
  const shown = await rows.count();
  expect(shown).toBeGreaterThan(0);
  expect(shown).toBeLessThan(all);
  for (const row of await rows.all()) await expect(row).toContainText(chosen);
});
