import { test, expect } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { fullTimeSecretaryIn, postingOfAnotherUnit, secretaryWithUnitViewer } from './db';
import { login, phone } from './session';

/** The text of every shared string of a workbook (xlsx is a zip; Python reads it). */
function xlsxStrings(path: string): string {
  return execFileSync('python3', ['-c', 'import sys, zipfile; print(zipfile.ZipFile(sys.argv[1]).read("xl/sharedStrings.xml").decode())', path], {
    encoding: 'utf8',
  });
}

test('the department watches its district live, drills down to a secretary and exports the table', async ({ page, browser }) => {
  await login(page, 'zzb');
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByRole('heading', { level: 1, name: '峄城区驻村工作看板' })).toBeVisible();
  await page.getByRole('link', { name: '今日', exact: true }).click();
  await expect(page).toHaveURL(/period=today/);
  await expect(page.getByTestId('present-today').locator('strong')).toHaveText(/^\d+ \/ \d+$/);
  // The township's row, not the district's headline: the board test checks secretaries of
  // another township of the district in and out at the same time.
  const table = page.getByRole('table', { name: '各镇街' });
  // Days in the village today: unlike 今日在村 (those expected today), it moves on a weekend too.
  const present = table.getByRole('row').filter({ hasText: '阴平镇' }).getByRole('cell', { name: /^在村天数/ });
  const count = async () => Number((await present.textContent())!.match(/(\d+)/)![1]);
  const before = await count();

  // A full-time secretary checks in from the phone: the figures go up without a reload.
  const secretary = fullTimeSecretaryIn('阴平镇');
  const field = await phone(browser, secretary.username);
  await field.getByRole('button', { name: '签到' }).click();
  await field.getByRole('button', { name: '提交' }).click();
  await expect(field.getByTestId('unsynced')).toHaveText('全部已同步', { timeout: 30_000 });
  await expect.poll(count, { timeout: 20_000 }).toBeGreaterThan(before);
  await field.context().close();

  // The township table as a workbook (on a phone the rows are cards, without a heading row).
  await expect(table.getByRole('row')).toHaveCount(7);
  const download = page.waitForEvent('download');
  await page.getByRole('link', { name: '导出本表（Excel）' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/today-dashboard\.xlsx$/);
  const strings = xlsxStrings(await file.path());
  expect(strings).toContain('阴平镇');
  expect(strings).toContain('今日在村率');

  // District → township → secretary.
  await table.getByRole('link', { name: '阴平镇' }).click();
  await expect(page).toHaveURL(/\/township\?township=\d+$/);
  const board = page.getByRole('table', { name: '考勤看板' });
  await expect(board.getByRole('row').filter({ hasText: secretary.name }).locator('td.status')).toHaveText('已签到（在村）');
  await board.getByRole('link', { name: secretary.name }).click();
  await expect(page.getByRole('heading', { level: 1, name: new RegExp(secretary.name) })).toBeVisible();
  await expect(page.getByRole('list', { name: '记录' }).getByRole('listitem').first()).toContainText('签到 · 在村');
});

test('the department reads what recording costs the secretaries, per township and per kind, against its budget', async ({ page }) => {
  await login(page, 'zzb');
  const burden = page.getByRole('region', { name: '填报负担' });
  await expect(burden).toContainText('本区上限：每人每周 30 分钟');
  const areas = burden.getByRole('table', { name: '各地填报负担' });
  await expect(areas.getByRole('row').filter({ hasText: '古邵镇' })).toBeVisible();
  const kinds = burden.getByRole('table', { name: '各类记录用时' });
  await expect(kinds.getByRole('row').filter({ hasText: '会议记录' })).toContainText('60');
  await expect(burden).toContainText('不用于评价或排名任何人');
});

test.describe('on a desktop', () => {
  test.use({ viewport: { width: 1280, height: 900 }, isMobile: false, hasTouch: false });

  test('the city compares its districts and opens one', async ({ page }) => {
    await login(page, 'szzb');
    await expect(page.getByRole('heading', { level: 1, name: '枣庄市驻村工作看板' })).toBeVisible();
    const table = page.getByRole('table', { name: '各区县' });
    await expect(table.getByRole('row')).toHaveCount(3);
    // Sorting by secretaries puts the larger district first, then the smaller.
    await table.getByRole('button', { name: '在岗书记' }).click();
    await expect(table.getByRole('row').nth(1)).toContainText('峄城区');
    await table.getByRole('button', { name: '在岗书记' }).click();
    await expect(table.getByRole('row').nth(1)).toContainText('薛城区');
    await table.getByRole('link', { name: '薛城区' }).click();
    await expect(page.getByRole('heading', { level: 1, name: '薛城区驻村工作看板' })).toBeVisible();
    await expect(page.getByRole('table', { name: '各镇街' }).getByRole('row')).toHaveCount(8);
    // The map arrives after the page: a dot per village, each opening its secretary.
    await expect(page.locator('.map svg a').first()).toBeAttached();
    expect(await page.locator('.map svg a').count()).toBeGreaterThan(100);
  });
});

test('a dispatching unit follows the secretaries it sent, and no others', async ({ page }) => {
  const s = secretaryWithUnitViewer('古邵镇');
  await login(page, s.unitViewer);
  await expect(page).toHaveURL(/\/unit$/);
  const list = page.getByRole('table', { name: '本单位书记' });
  const row = list.getByRole('row').filter({ hasText: s.name });
  await expect(row.locator('td.status')).toHaveText('未签到');
  await expect(row).toContainText('古邵镇');
  await list.getByRole('link', { name: s.name }).click();
  await expect(page).toHaveURL(/\/unit\/secretary\?posting=\d+$/);
  await expect(page.getByRole('heading', { level: 1, name: new RegExp(s.name) })).toBeVisible();

  const other = await page.goto(`/unit/secretary?posting=${postingOfAnotherUnit(s.unitViewer)}`);
  expect(other!.status()).toBe(404);
  await expect(page.getByRole('alert')).toHaveText('未找到，或不在您的管理范围内');
});
