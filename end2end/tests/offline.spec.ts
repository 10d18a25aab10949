import { test, expect, chromium } from '@playwright/test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import config from '../playwright.config';

const PASSWORD = 'zhucun-demo-2026';

test('after one online visit the field app opens with the network off, also after the browser was closed', async ({ baseURL }) => {
  const profile = mkdtempSync(join(tmpdir(), 'zhucun-phone-'));
  const options = {
    ...config.use,
    baseURL,
    executablePath: '/usr/bin/chromium',
    args: config.use!.launchOptions!.args,
  };
  let context = await chromium.launchPersistentContext(profile, options);
  let page = context.pages()[0] ?? (await context.newPage());
  await page.goto('/login');
  await page.getByLabel('用户名').fill('sj002');
  await page.getByLabel('密码').fill(PASSWORD);
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page).toHaveURL(/\/field$/);
  await page.waitForSelector('body[data-hydrated]');
  const village = page.getByRole('heading', { level: 2 }).first();
  await expect(village).not.toHaveText('本周本月');
  const name = (await village.textContent())!.trim();
  await page.waitForFunction(async () => {
    await navigator.serviceWorker.ready;
    return navigator.serviceWorker.controller !== null;
  });
  // The page and its code are in the cache once the app has run under the service worker.
  await page.reload();
  await page.waitForSelector('body[data-hydrated]');
  await context.close();

  // The phone was switched off; it comes back in a village with no signal.
  context = await chromium.launchPersistentContext(profile, options);
  await context.setOffline(true);
  page = context.pages()[0] ?? (await context.newPage());
  await page.goto('/field');
  await page.waitForSelector('body[data-hydrated]');
  // With Chromium 148 a persistent context's page keeps navigator.onLine true after an
  // earlier setOffline; setting it again once the page is up makes the browser say so.
  await context.setOffline(false);
  await context.setOffline(true);
  await expect(page.getByRole('heading', { level: 1, name: '我的驻村' })).toBeVisible();
  await expect(page.getByRole('heading', { level: 2, name })).toBeVisible();
  await expect(page.getByText('离线', { exact: true })).toBeVisible();
  // It still says when it last synced (kept with the data, not only in memory).
  await expect(page.getByText(/^上次同步：/)).toBeVisible();
  // Its stylesheet came from the service worker's cache too.
  expect(await page.evaluate(() => [...document.styleSheets].map((s) => s.cssRules.length))).toEqual([expect.any(Number)]);
  expect(await page.evaluate(() => document.styleSheets[0].cssRules.length)).toBeGreaterThan(50);
  await expect(page.getByRole('heading', { name: '本周本月' })).toBeVisible();

  // Logging out (nothing unsynced) forgets the account's data on the phone.
  await context.setOffline(false);
  await page.getByRole('button', { name: '退出登录' }).click();
  await expect(page).toHaveURL(/\/login$/);
  await context.setOffline(true);
  await page.goto('/field');
  await page.waitForSelector('body[data-hydrated]');
  await expect(page.getByText('还没有驻村信息')).toBeVisible();
  await expect(page.getByRole('heading', { level: 2, name })).toHaveCount(0);
  await context.close();
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
