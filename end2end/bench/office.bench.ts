import { test, expect, Page } from '@playwright/test';

const PASSWORD = 'zhucun-demo-2026';

// What an office page's cold first load sends (release build, no HTTP cache, no service
// worker), against the budgets of issue 12.
const BUDGETS: [string | null, string, number][] = [
  [null, '/login', 60 * 1024],
  ['zj.gushao', '/township', 300 * 1024],
  ['zzb', '/dashboard', 300 * 1024],
];

async function login(page: Page, user: string) {
  await page.goto('/login');
  await page.getByLabel('用户名').fill(user);
  await page.getByLabel('密码').fill(PASSWORD);
  await page.getByRole('button', { name: '登录' }).click();
  await page.waitForURL((u) => !u.pathname.endsWith('/login'));
}

test.use({ serviceWorkers: 'block' });

for (const [user, path, budget] of BUDGETS) {
  test(`first load of ${path} within ${budget / 1024} KB`, async ({ page }) => {
    if (user) await login(page, user);
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    const sizes = new Map<string, { path: string; wire: number }>();
    cdp.on('Network.responseReceived', (e) => sizes.set(e.requestId, { path: new URL(e.response.url).pathname, wire: 0 }));
    cdp.on('Network.loadingFinished', (e) => {
      const s = sizes.get(e.requestId);
      if (s) s.wire = e.encodedDataLength;
    });
    await page.goto(path);
    if (user) await page.waitForSelector('body[data-hydrated]');
    await page.waitForLoadState('networkidle');
    const files = [...sizes.values()];
    const wire = files.reduce((sum, f) => sum + f.wire, 0);
    for (const f of files) console.log(`${path}\t${f.path.replace(/\.[A-Za-z0-9_-]{16,}/, '.<hash>')}\t${f.wire} B`);
    console.log(`OFFICE FIRST LOAD ${path}: ${files.length} files, ${wire} B on the wire (budget ${budget} B)`);
    expect(wire).toBeLessThan(budget);
  });
}
