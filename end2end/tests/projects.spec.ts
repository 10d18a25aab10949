import { test, expect } from '@playwright/test';
import { fullTimeSecretaryIn } from './db';
import { login, phone } from './session';

test('a secretary proposes a project from the phone, the township and the department approve it, it is in the database', async ({ page, browser }) => {
  const secretary = fullTimeSecretaryIn('峨山镇', 3);
  const field = await phone(browser, secretary.username);
  // The research the project comes from, recorded on the phone.
  await field.getByRole('link', { name: '调研报告' }).click();
  await field.getByLabel('报告标题').fill('关于秸秆综合利用的调研');
  await field.getByLabel('报告内容').fill('全村秸秆年产约 3000 吨，焚烧现象时有发生。');
  await field.getByRole('button', { name: '提交' }).click();
  await expect(field.getByTestId('unsynced')).toHaveText('全部已同步', { timeout: 30_000 });

  await field.getByRole('link', { name: '帮扶项目' }).click();
  await field.waitForSelector('body[data-hydrated]');
  const form = field.getByRole('form', { name: '提出帮扶项目' });
  await expect(form.getByLabel('依据的调研报告')).toContainText('关于秸秆综合利用的调研');
  await form.getByLabel('项目名称').fill('秸秆煤秸秆压块');
  await form.getByLabel('类型').selectOption({ label: '长远' });
  await form.getByLabel('领域').selectOption({ label: '产业发展' });
  await form.getByLabel('预算（元）').fill('350000');
  await form.getByLabel('资金来源').fill('区财政衔接资金 30 万，村集体自筹 5 万');
  await form.getByRole('group', { name: '受益的结对帮扶户' }).getByRole('checkbox').first().check();
  await form.getByLabel(/^进度节点/).fill('2027-03-31 完成可行性论证\n2027-06-30 建成压块车间');
  await form.getByRole('button', { name: '提交镇街审核' }).click();
  await expect(field.getByRole('status').filter({ hasText: '已提交' })).toBeVisible();
  const mine = field.getByRole('table', { name: '项目列表' });
  await expect(mine.getByRole('row').filter({ hasText: '秸秆煤秸秆压块' })).toContainText('待镇街审核');
  await field.context().close();

  // The township approves it with its opinion.
  await login(page, 'zj.eshan');
  await page.goto('/projects');
  await page.getByRole('link', { name: '秸秆煤秸秆压块' }).click();
  await page.waitForSelector('body[data-hydrated]');
  const review = page.getByRole('form', { name: '审核' });
  await review.getByLabel('审核结论').selectOption({ label: '同意' });
  await review.getByLabel('审核意见').fill('符合村情，同意上报');
  await review.getByRole('button', { name: '提交审核' }).click();
  await expect(page.getByRole('list', { name: '审核记录' })).toContainText('镇街');
  await expect(page.getByRole('list', { name: '审核记录' })).toContainText('符合村情，同意上报');

  // The department approves; the project is in the database with its budget.
  const dept = await browser.newContext({ ...test.info().project.use, serviceWorkers: 'block' });
  const zzb = await dept.newPage();
  await login(zzb, 'zzb');
  await zzb.goto('/projects?status=township_approved');
  await zzb.getByRole('link', { name: '秸秆煤秸秆压块' }).click();
  await zzb.waitForSelector('body[data-hydrated]');
  const approve = zzb.getByRole('form', { name: '审核' });
  await approve.getByLabel('审核结论').selectOption({ label: '同意' });
  await approve.getByLabel('审核意见').fill('同意入库');
  await approve.getByRole('button', { name: '提交审核' }).click();
  await expect(zzb.getByText('已入库')).toBeVisible();
  await zzb.goto('/projects?status=approved');
  const table = zzb.getByRole('table', { name: '项目列表' });
  await expect(table.getByRole('row').filter({ hasText: '秸秆煤秸秆压块' })).toContainText('峨山镇');
  await expect(zzb.getByTestId('project-totals')).toContainText('350000');
  await dept.close();
});
