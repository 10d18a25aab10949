import { test, expect, Page } from '@playwright/test';

const PASSWORD = 'zhucun-demo-2026';

/** Opens a page and waits until it is interactive (hydrated). */
export async function open(page: Page, path: string) {
  await page.goto(path);
  await page.waitForSelector('body[data-hydrated]');
}

// The login page is a plain form: it loads no bundle and is never hydrated.
async function login(page: Page, username: string, password = PASSWORD) {
  await page.goto('/login');
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(password);
  await page.getByRole('button', { name: '登录' }).click();
}

// Each demo role lands on its own home page and sees data of its own part of the tree.
const roles = [
  { user: 'admin', home: '/admin', heading: '组织部概览' },
  { user: 'zzb', home: '/dashboard', heading: '峄城区驻村工作看板' },
  { user: 'szzb', home: '/dashboard', heading: '枣庄市驻村工作看板' },
  { user: 'ducha', home: '/inspect', heading: '全区第一书记' },
  { user: 'zj.gushao', home: '/township', heading: '考勤看板' },
  { user: 'dw.jiaoti', home: '/unit', heading: '本单位选派的第一书记' },
  { user: 'sj001', home: '/field', heading: '我的驻村' },
];

for (const r of roles) {
  test(`${r.user} logs in and lands on ${r.home}`, async ({ page }) => {
    await login(page, r.user);
    await expect(page).toHaveURL(new RegExp(`${r.home}$`));
    await expect(page.getByRole('heading', { level: 1, name: r.heading })).toBeVisible();
    await expect(page.getByRole('button', { name: '退出登录' })).toBeVisible();
  });
}

test('a township supervisor sees only their township', async ({ page }) => {
  await login(page, 'zj.gushao');
  await expect(page).toHaveURL(/\/township$/);
  await open(page, '/township/postings');
  await expect(page.getByRole('heading', { level: 1, name: '本镇街第一书记' })).toBeVisible();
  const townships = await page.locator('tbody tr td:nth-child(3)').allTextContents();
  expect(townships.length).toBeGreaterThan(5);
  expect(new Set(townships)).toEqual(new Set(['古邵镇']));
});

test('a wrong password is refused with a clear message, and logout works', async ({ page }) => {
  await login(page, 'zzb', 'not the password');
  await expect(page.getByRole('alert')).toContainText('用户名或密码错误');
  await expect(page).toHaveURL(/\/login(\?|$)/);
  await expect(page.getByLabel('用户名')).toBeVisible();
  await login(page, 'zzb');
  await expect(page).toHaveURL(/\/dashboard$/);
  await page.waitForSelector('body[data-hydrated]');
  await page.getByRole('button', { name: '退出登录' }).click();
  await expect(page).toHaveURL(/\/login$/);
  await page.goto('/admin');
  await expect(page).toHaveURL(/\/login$/);
});

test('the interface switches to English and back', async ({ page }) => {
  await page.goto('/login');
  await page.getByRole('link', { name: 'English' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Log in to Zhucun' })).toBeVisible();
  await page.getByLabel('Username').fill('zzb');
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page.getByRole('heading', { level: 1, name: "峄城区 · first secretaries' dashboard" })).toBeVisible();
  await page.waitForSelector('body[data-hydrated]');
  await page.getByRole('link', { name: '中文' }).click();
  await expect(page.getByRole('heading', { level: 1, name: '峄城区驻村工作看板' })).toBeVisible();
});
