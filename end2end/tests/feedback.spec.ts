import { test, expect } from '@playwright/test';
import { login } from './session';

test('a secretary complains anonymously from the phone, the department answers, the code shows the answer to anyone holding it', async ({ page, browser }) => {
  await login(page, 'sj001');
  await page.getByRole('link', { name: '投诉建议' }).click();
  await page.waitForSelector('body[data-hydrated]');
  await page.getByLabel('类型').selectOption({ label: '投诉' });
  await page.getByLabel('内容', { exact: true }).fill('同一份走访材料要在三个平台各报一次');
  await page.getByLabel('匿名发送（不记录我的账号）').check();
  await page.getByRole('button', { name: '发送', exact: true }).click();
  const sent = page.getByRole('region', { name: '发送投诉建议' }).getByRole('status');
  await expect(sent).toContainText('已发送。查询码：');
  const code = (await sent.locator('strong').textContent())!;
  expect(code).toMatch(/^[A-Z0-9]{5}-[A-Z0-9]{5}$/);
  // Anonymous: not listed as the secretary's own.
  await expect(page.getByRole('region', { name: '我发送的' })).toContainText('还没有');

  const office = await browser.newContext({ ...test.info().project.use });
  const dept = await office.newPage();
  await login(dept, 'zzb');
  await dept.goto('/feedback');
  await dept.waitForSelector('body[data-hydrated]');
  const item = dept.getByRole('list', { name: '收到的投诉建议' }).getByRole('listitem').filter({ hasText: '同一份走访材料' });
  await expect(item).toContainText('投诉');
  await expect(item).toContainText('匿名');
  await expect(item).not.toContainText('书记');
  await item.getByLabel('答复', { exact: true }).fill('已通知各镇街：同一材料只报一次');
  await item.getByRole('button', { name: '发送答复' }).click();
  await expect(dept.getByRole('status')).toHaveText('已答复');
  await expect(dept.getByTestId('feedback-counts')).toContainText(/已答复 [1-9]\d* 件/);
  await dept.goto('/dashboard');
  await expect(dept.getByTestId('dashboard-feedback')).toContainText(/已答复 [1-9]\d* 件/);
  await office.close();

  // Anyone with the code reads the answer, without logging in.
  const visitor = await browser.newContext({ ...test.info().project.use });
  const v = await visitor.newPage();
  await v.goto('/feedback');
  await v.waitForSelector('body[data-hydrated]');
  await expect(v.getByRole('region', { name: '群众投诉建议' })).toBeVisible();
  await v.getByRole('textbox', { name: '查询码' }).fill(code.toLowerCase());
  await v.getByRole('button', { name: '查询' }).click();
  const found = v.getByRole('region', { name: '查询结果' });
  await expect(found).toContainText('同一份走访材料要在三个平台各报一次');
  await expect(found).toContainText('已通知各镇街：同一材料只报一次');
  await visitor.close();
});
