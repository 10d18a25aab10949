import { test, expect, Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { login, phone } from './session';

/** Controls smaller than 44 × 44 CSS px on the page: links, buttons, fields, disclosures. A
 *  check box counts by its label (the label is what a finger taps). Links inside a sentence
 *  and the village map's dots (its table says the same) are exempt. */
async function smallTargets(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const visible = (e: Element) => (e as HTMLElement).offsetParent !== null || e.closest('svg') !== null;
    return [...document.querySelectorAll('a, button, select, input, summary, textarea')]
      .filter((e) => visible(e) && (e as HTMLInputElement).type !== 'hidden' && !e.closest('svg'))
      .filter((e) => !(e.tagName === 'A' && e.closest('p, li') && getComputedStyle(e).display === 'inline'))
      .map((e) => {
        const target = e.matches('input[type=checkbox], input[type=radio]') ? e.closest('label') ?? e : e;
        const r = target.getBoundingClientRect();
        return { what: `${e.tagName} ${(e.textContent || e.getAttribute('aria-label') || '').trim().slice(0, 20)}`, w: r.width, h: r.height };
      })
      .filter((t) => t.w < 43.5 || t.h < 43.5)
      .map((t) => `${t.what} ${Math.round(t.w)}×${Math.round(t.h)}`);
  });
}

/** Opens a page and waits until it is interactive (the login page is a plain form, never hydrated). */
async function open(page: Page, path: string) {
  await page.goto(path);
  if (path !== '/login') await page.waitForSelector('body[data-hydrated]');
}

test('on a phone the township board is a card per secretary, its alerts in view, what waits reachable from the top', async ({ page }) => {
  await login(page, 'zj.gushao');
  const board = page.getByRole('table', { name: '考勤看板' });
  await expect(board.getByRole('row').first()).toBeVisible();
  // No sideways scrolling, and every alert inside the screen.
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(412);
  const alerts = board.locator('[data-alert]');
  expect(await alerts.count()).toBeGreaterThan(0);
  for (const box of await Promise.all((await alerts.all()).slice(0, 10).map((a) => a.boundingBox()))) {
    expect(box!.x + box!.width).toBeLessThanOrEqual(412);
  }
  // A card shows each value under its column's name.
  const card = board.getByRole('row').filter({ has: page.locator('[data-alert]') }).first();
  await expect(card.getByRole('cell', { name: /^提醒/ })).toBeVisible();
  await expect(card.getByRole('cell', { name: /^今日/ })).toBeVisible();

  // Leave, late days and roll calls are a tap from the top of the page.
  const jumps = page.getByRole('navigation', { name: '看板导航' });
  await expect(jumps.getByRole('link', { name: /^有提醒 \d+ 人$/ })).toBeVisible();
  await jumps.getByRole('link', { name: /^点名 \d+$/ }).click();
  await expect(page).toHaveURL(/#roll-calls$/);
  await expect(page.getByRole('region', { name: '点名' })).toBeInViewport();
  // The roll call's picker names each secretary's village.
  await page.getByText('点名对象（不选则全部）').click();
  await expect(page.getByRole('checkbox', { name: / · \S+$/ }).first()).toBeVisible();
});

for (const [user, path] of [
  [null, '/login'],
  ['zj.gushao', '/township'],
  ['zzb', '/dashboard'],
  ['zzb', '/admin/units'],
  ['zzb', '/evaluation'],
  ['dw.jiaoti', '/unit'],
  [null, '/feedback'],
  ['zzb', '/feedback'],
  ['zzb', '/projects'],
  ['sj001', '/projects'],
] as const) {
  test(`every control of ${path} is a 44 px tap target on a phone${user ? ` (${user})` : ''}`, async ({ page }) => {
    // Measured on a still page: other tests' records would reload a live one under the check.
    await page.route('**/events/attendance', (route) => route.abort());
    if (user) await login(page, user);
    await open(page, path);
    expect(await smallTargets(page)).toEqual([]);
    const axe = await new AxeBuilder({ page }).withRules(['target-size']).analyze();
    expect(axe.violations.flatMap((v) => v.nodes.map((n) => n.target.join(' ')))).toEqual([]);
  });
}

test('every control of the field app is a 44 px tap target', async ({ browser }) => {
  const page = await phone(browser, 'sj005');
  const found: string[] = [];
  for (const screen of ['', '#records', '#new/diary', '#new/visit', '#new/meeting', '#leave']) {
    await page.evaluate((h) => (location.hash = h), screen);
    await page.waitForTimeout(300);
    found.push(...(await smallTargets(page)).map((t) => `${screen || '#'} ${t}`));
    const axe = await new AxeBuilder({ page }).withRules(['target-size']).analyze();
    found.push(...axe.violations.flatMap((v) => v.nodes.map((n) => `${screen || '#'} axe ${n.target.join(' ')}`)));
  }
  // A synced record, opened in full.
  await page.evaluate(() => (location.hash = ''));
  await page.getByRole('button', { name: '签到', exact: true }).click();
  await page.getByRole('link', { name: '不加照片，返回首页' }).click();
  await page.evaluate(() => (location.hash = '#records'));
  await page.getByRole('link', { name: '查看' }).first().click({ timeout: 30_000 });
  await expect(page.getByLabel('记录内容')).toContainText('距村中心');
  found.push(...(await smallTargets(page)).map((t) => `record ${t}`));
  expect(found).toEqual([]);
});
