import { test, expect } from '@playwright/test';
import { fullTimeSecretaryIn, query } from './db';
import { login, phone } from './session';

test('the month is drafted from what the phone recorded, filed in one tap, and the township reads it', async ({ page, browser }) => {
  const secretary = fullTimeSecretaryIn('榴园镇', 2);
  const field = await phone(browser, secretary.username);
  await field.getByRole('link', { name: '民情日记' }).click();
  await field.getByLabel('日记内容').fill('村东头道路需要硬化，群众意见集中。');
  await field.getByLabel('基础设施').check();
  await field.getByRole('button', { name: '提交' }).click();
  await expect(field.getByTestId('unsynced')).toHaveText('全部已同步', { timeout: 30_000 });
  // The phone timed the form and counted what was filled in (text and a tag), unasked.
  const [[seconds, fields]] = query(
    `SELECT r.effort_seconds, r.effort_fields FROM field_records r JOIN accounts a ON a.id = r.secretary_id
      WHERE a.username = '${secretary.username}' AND r.kind = 'diary'`,
  );
  expect(Number(seconds)).toBeGreaterThanOrEqual(0);
  expect(Number(seconds)).toBeLessThan(120);
  expect(Number(fields)).toBe(2);

  await field.getByRole('link', { name: '月度纪实' }).click();
  await field.waitForSelector('body[data-hydrated]');
  const facts = field.getByRole('region', { name: '本月记录' });
  await expect(facts).toContainText('民情日记1');
  await expect(field.getByTestId('monthly-state')).toHaveText('尚未存档（以下为自动生成的草稿）');
  const text = field.getByLabel('纪实内容');
  await expect(text).toHaveValue(/民情日记 1 篇，主要涉及：基础设施 1 篇/);
  await expect(text).toHaveValue(/七、存在问题和下月打算：$/);
  await text.fill(`${await text.inputValue()}推进村东头道路硬化立项。`);
  await field.getByRole('button', { name: '存档' }).click();
  await expect(field.getByRole('status')).toHaveText('已存档，镇街和派出单位可查看');
  await expect(field.getByTestId('monthly-state')).toHaveText(/^已存档 /);
  await field.context().close();

  await login(page, 'zj.liuyuan');
  await page.getByRole('table', { name: '考勤看板' }).getByRole('link', { name: secretary.name }).click();
  const monthly = page.getByRole('region', { name: '月度工作纪实' });
  await monthly.getByText(/^\d{4}-\d{2} · 存档于 /).click();
  await expect(monthly).toContainText('推进村东头道路硬化立项。');
});
