import { test, expect, Page } from '@playwright/test';
import { readFileSync, writeFileSync } from 'node:fs';
import { login } from './session';

async function open(page: Page, path: string) {
  await page.goto(path);
  await page.waitForSelector('body[data-hydrated]');
}

test('the department adds a village and moves its geofence', async ({ page }) => {
  await login(page, 'zzb');
  await open(page, '/admin/villages');
  const name = `测试${Date.now() % 100000}村`;
  const form = page.locator('section', { has: page.getByRole('heading', { name: '新增村（社区）' }) });
  await form.getByLabel('所属镇街').selectOption({ label: '榴园镇' });
  await form.getByLabel('名称').fill(name);
  await form.getByLabel('纬度').fill('34.7311');
  await form.getByLabel('经度').fill('117.6122');
  await form.getByLabel('围栏半径（米）').fill('600');
  await form.getByLabel('选民数').fill('812');
  await form.getByRole('button', { name: '新增' }).click();
  await expect(form.getByRole('status')).toHaveText('已新增');
  const row = page.getByRole('row', { name: new RegExp(name) });
  await expect(row).toContainText('600 m');

  await row.getByRole('button', { name: `编辑 ${name}` }).click();
  const edit = page.locator('section', { has: page.getByRole('heading', { name: `编辑 ${name}` }) });
  await edit.getByLabel('围栏半径（米）').fill('900');
  await edit.getByRole('button', { name: '保存' }).click();
  await expect(edit.getByRole('status')).toHaveText('已保存');
  await expect(page.getByRole('row', { name: new RegExp(name) })).toContainText('900 m');

  // A bad latitude is refused with the reason, and the form keeps what was typed. (The page
  // was reloaded with its fresh figures after each save, so the form starts empty.)
  await form.getByLabel('名称').fill(`${name}二`);
  await form.getByLabel('纬度').fill('134.7');
  await form.getByLabel('经度').fill('117.6122');
  await form.getByRole('button', { name: '新增' }).click();
  await expect(form.getByRole('alert')).toContainText('纬度 134.7 不在 -90 到 90 之间');
  await expect(form.getByLabel('名称')).toHaveValue(`${name}二`);

  await open(page, '/admin/audit');
  await expect(page.getByRole('row', { name: /update village/ }).first()).toContainText('峄城区委组织部');
});

test('a spreadsheet with a bad row is rejected whole, with the row and column named', async ({ page }, info) => {
  await login(page, 'zzb');
  await open(page, '/admin/import');
  const bad = info.outputPath('villages.csv');
  const csv = '镇街,村名,类型,纬度,经度,围栏半径米,选民数\n古邵镇,好村一,村,34.7,117.5,500,800\n古邵镇,坏村二,村,34.7,117.5,20,800\n';
  writeFileSync(bad, csv);
  await page.getByLabel('文件').setInputFiles(bad);
  await page.getByRole('button', { name: '导入' }).click();
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('文件有 1 处错误，未导入任何数据');
  await expect(alert.getByRole('row', { name: /3 围栏半径米/ })).toContainText('围栏半径须在 50 到 10000 米之间');
  await open(page, '/admin/villages');
  await expect(page.getByRole('row', { name: /好村一/ })).toHaveCount(0);

  // The template imports once filled in correctly.
  await open(page, '/admin/import');
  const good = info.outputPath('good.csv');
  const name = `导入${Date.now() % 100000}村`;
  writeFileSync(good, readFileSync(bad, 'utf8').split('\n').slice(0, 2).join('\n').replace('好村一', name) + '\n');
  await page.getByLabel('文件').setInputFiles(good);
  await page.getByRole('button', { name: '导入' }).click();
  await expect(page.getByRole('status')).toHaveText('已导入 1 行');
});

test('a township supervisor pairs a household with a secretary', async ({ page }) => {
  await login(page, 'zj.gushao');
  await open(page, '/township/postings');
  await expect(page.getByRole('heading', { level: 1, name: '本镇街第一书记' })).toBeVisible();
  const first = page.locator('tbody tr').first();
  const secretary = (await first.locator('td').first().textContent())!.trim();
  await page.getByRole('button', { name: `帮扶户 ${secretary}` }).click();
  const panel = page.getByRole('region', { name: '结对帮扶户' });
  await expect(panel.getByRole('listitem').first()).toBeVisible();
  await panel.getByText('添加帮扶户').click();
  const head = `户主${Date.now() % 100000}`;
  await panel.getByLabel('户主姓名').fill(head);
  await panel.getByLabel('家庭人口').fill('4');
  await panel.getByLabel('困难类型').fill('因病致困');
  await panel.getByLabel('结对日期').fill('2026-06-01');
  await panel.getByRole('button', { name: '添加' }).click();
  await expect(panel.getByRole('listitem').filter({ hasText: head })).toBeVisible();
});

test('the department adds a dispatching unit and renames it', async ({ page }) => {
  await login(page, 'zzb');
  await open(page, '/admin/units');
  const name = `区测试${Date.now() % 100000}局`;
  const add = page.locator('section', { has: page.getByRole('heading', { name: '新增派出单位' }) });
  await add.getByLabel('名称').fill(name);
  await add.getByLabel('类型').selectOption({ label: '区直机关' });
  await add.getByRole('button', { name: '新增' }).click();
  await expect(add.getByRole('status')).toHaveText('已新增');
  const row = page.getByRole('row', { name: new RegExp(name) });
  await row.getByText('改名').click();
  const rename = page.getByRole('form', { name: `改名 ${name}` });
  await rename.getByLabel('名称').fill(`${name}（新）`);
  await rename.getByRole('button', { name: '保存' }).click();
  await expect(page.getByRole('row', { name: new RegExp(`${name}（新）`) })).toBeVisible();
});
