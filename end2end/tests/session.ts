// Logging in as a demo account the way a person does, for the office pages' tests, and a
// secretary's phone standing in their village.
import { test, expect, Browser, Page } from '@playwright/test';
import { village } from './db';

/** Every demo account's password (`db::seed::DEMO_PASSWORD`). */
export const PASSWORD = 'zhucun-demo-2026';

/** Logs in on the login page (a plain form: it loads no bundle and is never hydrated) and
 * waits for the landing page to be interactive. */
export async function login(page: Page, user: string) {
  await page.goto('/login');
  await page.getByLabel('用户名').fill(user);
  await page.getByLabel('密码').fill(PASSWORD);
  await page.getByRole('button', { name: '登录' }).click();
  await page.waitForURL((u) => !u.pathname.endsWith('/login'));
  await page.waitForSelector('body[data-hydrated]');
}

/** A secretary's field app on a phone of its own, standing in the village with a 20 m fix. */
export async function phone(browser: Browser, user: string): Promise<Page> {
  const context = await browser.newContext({
    ...test.info().project.use,
    geolocation: { ...village(user), accuracy: 20 },
    permissions: ['geolocation'],
    serviceWorkers: 'block',
  });
  const page = await context.newPage();
  await login(page, user);
  await expect(page.getByRole('heading', { name: '本周本月' })).toBeVisible();
  return page;
}
