import { test, expect } from '@playwright/test';
import { login } from './session';
import { query } from './db';

test('the department sets its allowance rate and day rule', async ({ page }) => {
  await login(page, 'zzb');
  await page.goto('/admin/settings');
  await page.waitForSelector('body[data-hydrated]');
  const district = page.getByRole('region', { name: '峄城区' });
  await expect(page.getByRole('list', { name: '例外日期' })).toContainText('2026-10-01 国庆节 · 放假');
  await district.getByLabel('日补贴标准（元/天，脱产）').fill('40');
  await district.getByLabel('最短在村时长（分钟，0 为不限）').fill('0');
  await district.getByRole('button', { name: '保存设置' }).click();
  await expect(page.getByRole('status')).toHaveText('已保存');
  expect(query(`SELECT allowance_per_day, day_min_stay_minutes FROM districts WHERE name = '峄城区'`)).toEqual([['40', '0']]);
});

test('roll calls are a forced function: the city turns them off and on again with a stated basis, who and when shown', async ({ page }) => {
  await login(page, 'szzb');
  await page.goto('/admin/settings');
  const forced = page.getByRole('region', { name: '强制性功能' });
  const district = forced.getByRole('group', { name: '薛城区' });
  const rollCall = district.getByRole('listitem').filter({ hasText: '镇街点名' });
  // The demo district turned them on as its own decision.
  await expect(rollCall).toContainText('已启用：本区决定');
  await expect(district).toContainText('考勤规则中的签到要求 · 无');
  await rollCall.getByRole('button', { name: '停用 镇街点名（限时签到应答）' }).click();
  await expect(rollCall).toContainText('未启用');
  await rollCall.getByLabel('依据').selectOption({ label: '应急需要' });
  await rollCall.getByLabel('文件、会议或情形').fill('防汛应急响应（区防指〔2026〕3号）');
  await rollCall.getByRole('button', { name: '启用 镇街点名（限时签到应答）' }).click();
  await expect(rollCall).toContainText('已启用：应急需要 · 依据：防汛应急响应（区防指〔2026〕3号） · 枣庄市委组织部 启用于');
  expect(query(`SELECT count(*) FROM audit_log WHERE action IN ('enable_mandate', 'disable_mandate')`)).toEqual([['2']]);
});

test('an inspector records an absence with a photo taken on site', async ({ page }) => {
  await login(page, 'ducha');
  const form = page.getByRole('region', { name: '记录督查' });
  await form.getByLabel('第一书记').selectOption({ index: 5 });
  await form.getByLabel('督查结果').selectOption('false');
  await form.getByLabel('说明').fill('上午十点未在村');
  await form.getByRole('button', { name: '保存督查记录' }).click();
  await expect(form.getByRole('status').first()).toHaveText('已记录');
  await form.getByLabel('现场照片（可选）').setInputFiles({ name: 'gate.jpg', mimeType: 'image/jpeg', buffer: Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from('a jpeg taken at the gate')]) });
  await expect(form.getByText('照片已保存')).toBeVisible();
  expect(query(`SELECT present, note, photo IS NOT NULL FROM inspections WHERE note = '上午十点未在村'`)).toEqual([['f', '上午十点未在村', 't']]);
});
