import { test, expect } from '@playwright/test';

const PASSWORD = 'zhucun-demo-2026';

test('after one online visit the field app opens with the network off', async ({ page, context }) => {
  await page.goto('/login');
  await page.waitForSelector('body[data-hydrated]');
  await page.getByLabel('用户名').fill('sj002');
  await page.getByLabel('密码').fill(PASSWORD);
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page).toHaveURL(/\/field$/);
  await page.waitForSelector('body[data-hydrated]');
  const village = (await page.getByRole('heading', { level: 2 }).textContent())!.trim();
  // Wait until the service worker controls the page and has cached the app's code.
  await page.waitForFunction(async () => {
    await navigator.serviceWorker.ready;
    return navigator.serviceWorker.controller !== null && (await caches.has('zhucun-v1'));
  });
  await page.reload();
  await page.waitForSelector('body[data-hydrated]');

  await context.setOffline(true);
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: '我的驻村' })).toBeVisible();
  await expect(page.getByRole('heading', { level: 2, name: village })).toBeVisible();
  await page.waitForSelector('body[data-hydrated]');
  await expect(page.getByRole('region', { name: '结对帮扶户' }).getByRole('listitem').first()).toBeVisible();

  // Logging out forgets the account's pages: offline, /field is no longer there.
  await context.setOffline(false);
  await page.getByRole('button', { name: '退出登录' }).click();
  await expect(page).toHaveURL(/\/login$/);
  await context.setOffline(true);
  await page.goto('/field').catch(() => {});
  await expect(page.getByText('离线：此页面尚未缓存')).toBeVisible();
  await context.setOffline(false);
});

test('the app is installable: manifest and icons', async ({ request }) => {
  const manifest = await (await request.get('/manifest.webmanifest')).json();
  expect(manifest.start_url).toBe('/field');
  expect(manifest.display).toBe('standalone');
  for (const icon of manifest.icons) {
    const res = await request.get(icon.src);
    expect(res.ok()).toBeTruthy();
  }
});
