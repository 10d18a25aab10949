import { test, expect, Page, Browser } from '@playwright/test';
import { login } from './session';
import { query, secretaryWithUnitViewer, village } from './db';

async function office(browser: Browser, user: string): Promise<Page> {
  const context = await browser.newContext({ ...test.info().project.use, serviceWorkers: 'block' });
  const page = await context.newPage();
  await login(page, user);
  return page;
}

/** The organisation score the phone projects. */
async function projected(page: Page): Promise<number> {
  const text = (await page.getByTestId('projected-score').textContent()) ?? '';
  return Number(/预计 (\d+) 分/.exec(text)?.[1]);
}

test('records (a research report, a 实事) move the projection; goals filed and approved; a survey by ballot codes; results computed, frozen and recomputed', async ({ page, browser }) => {
  test.setTimeout(240_000);
  const secretary = secretaryWithUnitViewer('阴平镇');
  const [[posting, villageId]] = query(
    `SELECT p.id, p.village_id FROM postings p JOIN accounts a ON a.id = p.secretary_id
      WHERE a.username = '${secretary.username}' AND posting_is_current(p.village_id, p.term_start, coalesce(p.ended_on, p.term_end))`,
  );
  // Three people may vote in this village: two votes make two thirds.
  query(`UPDATE villages SET eligible_voters = 3 WHERE id = ${villageId}`);

  // The phone: a research report synced raises the projected score by D1.2's 4 points.
  await page.context().grantPermissions(['geolocation']);
  await page.context().setGeolocation({ ...village(secretary.username), accuracy: 20 });
  await login(page, secretary.username);
  await expect(page.getByRole('heading', { name: '本周本月' })).toBeVisible();
  // The number has its scale: base points out of the rule set's 100, and the bonus beside.
  await expect(page.getByTestId('projected-score')).toHaveText(/^组织考评预计 \d+ 分（基本分 \d+\/100 \+ 奖励分 \d+）$/);
  const before = await projected(page);
  await page.getByRole('link', { name: '调研报告' }).click();
  await page.getByLabel('报告标题').fill('关于村集体增收的调研');
  await page.getByLabel('报告内容').fill('村里有闲置厂房，可引进加工项目。');
  await page.getByRole('button', { name: '提交' }).click();
  await expect(page.getByRole('status')).toHaveText('已保存，等待同步');
  await page.getByRole('button', { name: '立即同步' }).click();
  await expect(page.getByTestId('unsynced')).toHaveText('全部已同步', { timeout: 30_000 });
  await expect.poll(() => projected(page), { timeout: 30_000 }).toBe(before + 4);
  // A 实事: 20,000 yuan raised for the village is P1's 2 × 5 points.
  await page.getByRole('link', { name: '为村办实事' }).click();
  await page.getByLabel('实事类别').selectOption({ label: '争取物资资金' });
  await page.getByLabel('实事名称').fill('争取村内道路硬化资金');
  await page.getByLabel('金额（元）').fill('20000');
  await page.getByRole('button', { name: '提交' }).click();
  await expect(page.getByRole('status')).toHaveText('已保存，等待同步');
  await page.getByRole('button', { name: '立即同步' }).click();
  await expect(page.getByTestId('unsynced')).toHaveText('全部已同步', { timeout: 30_000 });
  await expect.poll(() => projected(page), { timeout: 30_000 }).toBe(before + 14);

  // The secretary files the term goals (after the research) and the commitment.
  await page.getByRole('link', { name: '年度考核材料与明细（需联网）' }).click();
  await page.waitForSelector('body[data-hydrated]');
  await expect(page.getByRole('heading', { level: 1 })).toContainText(secretary.name);
  await page.getByText('任期目标备案表', { exact: true }).first().click();
  const goals = page.getByRole('form', { name: '任期目标备案表' });
  await goals.getByLabel('任期目标备案表内容').fill('任期内带领村集体增收，改善人居环境。');
  await goals.getByLabel('任期目标（每行一项）').fill('引进一个加工项目\n硬化村内道路 2 公里');
  await goals.getByRole('button', { name: '提交任期目标备案表' }).click();
  await expect(page.getByRole('status').filter({ hasText: '已提交' })).toBeVisible();
  const filed = page.getByRole('region', { name: '三定一诺材料' });
  await expect(filed).toContainText('硬化村内道路 2 公里');
  await expect(filed).toContainText('镇街审核：待审核');
  // The year-end report and the self-check start from what the records already say.
  await page.getByText('述职报告', { exact: true }).first().click();
  const report = page.getByRole('form', { name: '述职报告' }).getByLabel('述职报告内容');
  await expect(report).toHaveValue(/《关于村集体增收的调研》/);
  await expect(report).toHaveValue(/争取物资资金：争取村内道路硬化资金（20000 元）/);
  await expect(report).toHaveValue(/任期目标：1\. 引进一个加工项目/);
  await page.getByText('自查报告表', { exact: true }).first().click();
  await expect(page.getByRole('form', { name: '自查报告表' }).getByLabel('自查报告表内容')).toHaveValue(/D1\.2 .*关于村集体增收的调研/);

  // The township and the dispatching unit approve the goals.
  const township = await office(browser, 'zj.yinping');
  await township.goto(`/evaluation`);
  await township.getByRole('link', { name: `查看考核明细 ${secretary.name}` }).click();
  await township.waitForSelector('body[data-hydrated]');
  await township.getByRole('button', { name: '审核通过任期目标' }).click();
  await expect(township.getByRole('region', { name: '三定一诺材料' })).toContainText('镇街审核：阴平镇管理员');
  const unit = await office(browser, secretary.unitViewer);
  await unit.goto(`/evaluation/dossier?posting=${posting}`);
  await unit.waitForSelector('body[data-hydrated]');
  await unit.getByRole('button', { name: '审核通过任期目标' }).click();
  await expect(unit.getByRole('region', { name: '三定一诺材料' })).not.toContainText('待审核');

  // The township issues ballot codes: a printable sheet, one slip per eligible voter.
  await township.getByRole('button', { name: /^发放票码/ }).click();
  const slips = township.getByRole('listitem').filter({ has: township.locator('.code') });
  await expect(slips).toHaveCount(3);
  await expect(slips.first().locator('svg')).toBeVisible();
  const links = await township.locator('.slip .link').allTextContents();

  // Two villagers vote on their own phones, without an account; a code works once.
  const voter = await browser.newContext({ ...test.info().project.use, serviceWorkers: 'block' });
  for (const [link, answer] of [[links[0], '很满意'], [links[1], '满意']]) {
    const p = await voter.newPage();
    await p.goto(link);
    await p.waitForSelector('body[data-hydrated]');
    await p.getByLabel(answer, { exact: true }).check();
    await p.getByRole('button', { name: '投票' }).click();
    await expect(p.getByRole('status')).toHaveText('投票成功，谢谢您的参与！');
  }
  const again = await voter.newPage();
  await again.goto(links[0]);
  await again.waitForSelector('body[data-hydrated]');
  await again.getByLabel('不满意').check();
  await again.getByRole('button', { name: '投票' }).click();
  await expect(again.getByRole('alert')).toContainText('此票码已投过票');
  await township.reload();
  const survey = township.getByRole('region', { name: '群众满意度测评' });
  await expect(survey).toContainText('已投票 2');
  // While open only the turnout shows; the count by answer once the township closes it.
  await expect(survey).toContainText('测评结束后公布各项票数');
  await expect(survey).not.toContainText('满意度 100.0%');
  await survey.getByRole('button', { name: '结束测评' }).click();
  await expect(survey.getByRole('status').filter({ hasText: '测评已结束' })).toBeVisible();
  await township.reload();
  await expect(survey).toContainText('满意度 100.0%');
  await expect(survey).toContainText('已结束');

  // The department's assessors score the items that need judgement, with reasons.
  const dept = await office(browser, 'zzb');
  await dept.goto(`/evaluation/dossier?posting=${posting}`);
  await dept.waitForSelector('body[data-hydrated]');
  for (const [key, points] of [['B1.1', '0'], ['D1.1', '-1'], ['D4.1', '0'], ['D4.2', '0']]) {
    const form = dept.getByRole('form').filter({ has: dept.getByRole('button', { name: `保存评分 ${key}` }) });
    await form.getByLabel(new RegExp(`^${key.replace('.', '\\.')} 得分`)).fill(points);
    await form.getByLabel(`${key} 评分理由`).fill('查阅民情日记和谈话记录');
    await form.getByLabel(new RegExp(`^${key.replace('.', '\\.')} 依据`)).fill('民情日记本');
    await form.getByRole('button', { name: `保存评分 ${key}` }).click();
    await expect(dept.getByRole('status').filter({ hasText: '评分已保存' })).toBeVisible();
    await expect(form).toContainText('查阅民情日记和谈话记录');
  }
  const lines = dept.getByRole('table', { name: '评分项' });
  await expect(lines.getByRole('row').filter({ hasText: 'D1.2' })).toContainText('关于村集体增收的调研');
  await expect(lines.getByRole('row').filter({ hasText: 'P1' })).toContainText('争取村内道路硬化资金');

  // The department computes the district, checks the recomputation, and freezes the results.
  await dept.goto('/evaluation');
  await dept.waitForSelector('body[data-hydrated]');
  const district = dept.getByRole('region', { name: /峄城区/ });
  await district.getByRole('button', { name: '计算考核结果' }).click();
  await expect(district.getByRole('status').filter({ hasText: '已计算 ·' })).toBeVisible({ timeout: 30_000 });
  const ranked = district.getByRole('row').filter({ hasText: secretary.name });
  await expect(ranked).toContainText('100.0%');
  await expect(ranked.getByRole('cell').nth(5)).toHaveText(/优秀|良好|称职/);
  await district.getByRole('button', { name: '部长办公会审核通过（冻结）' }).click();
  await expect(district.getByRole('status').filter({ hasText: '部长办公会已审核' })).toBeVisible();
  await district.getByRole('button', { name: '市委审批通过' }).click();
  await expect(district.getByRole('status').filter({ hasText: '市委已审批' })).toBeVisible();
  await district.getByRole('button', { name: '按存档数据重算核验' }).click();
  await expect(district.getByText('重算结果与存档完全一致')).toBeVisible();
  const [[state, grade]] = query(
    `SELECT r.state, x->>'grade' FROM evaluation_runs r, jsonb_array_elements(r.output->'results') x
      WHERE r.state <> 'reopened' AND (x->>'id')::bigint = ${posting}`,
  );
  expect(state).toBe('approved');
  expect(['excellent', 'good', 'competent']).toContain(grade);

  // Frozen: the assessors can no longer change a score.
  await dept.goto(`/evaluation/dossier?posting=${posting}`);
  await dept.waitForSelector('body[data-hydrated]');
  await expect(dept.getByRole('region', { name: '考核结果' })).toContainText('市委已审批');
  const d11 = dept.getByRole('form').filter({ has: dept.getByRole('button', { name: '保存评分 D1.1' }) });
  await d11.getByLabel(/^D1\.1 得分/).fill('-2');
  await d11.getByRole('button', { name: '保存评分 D1.1' }).click();
  await expect(dept.getByRole('alert')).toContainText('已审核冻结');
});
