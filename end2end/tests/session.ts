// Logging in as a demo account the way a person does, for the office pages' tests.
import { Page } from '@playwright/test';

/** Every demo account's password (`db::seed::DEMO_PASSWORD`). */
export const PASSWORD = 'zhucun-demo-2026';

/** Logs in on the login page and waits for the landing page to be interactive. */
export async function login(page: Page, user: string) {
  await page.goto('/login');
  await page.waitForSelector('body[data-hydrated]');
  await page.getByLabel('用户名').fill(user);
  await page.getByLabel('密码').fill(PASSWORD);
  await page.getByRole('button', { name: '登录' }).click();
  await page.waitForURL((u) => !u.pathname.endsWith('/login'));
  await page.waitForSelector('body[data-hydrated]');
}
