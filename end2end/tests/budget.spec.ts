// What the office pages cost on the wire (issue 12): the login page loads no bundle, and the
// bundle a supervisor's pages load is named by its content hash and not fetched again.
import { test, expect, Page } from '@playwright/test';
import { login } from './session';

test.use({ serviceWorkers: 'block' });

/** The page's files as the network saw them: path, bytes on the wire, served from the HTTP cache. */
async function load(page: Page, path: string) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  const files = new Map<string, { path: string; wire: number; cached: boolean; cacheControl: string }>();
  // The memory cache tells before the response is reported.
  const fromCache = new Set<string>();
  cdp.on('Network.requestServedFromCache', (e) => fromCache.add(e.requestId));
  cdp.on('Network.responseReceived', (e) =>
    files.set(e.requestId, {
      path: new URL(e.response.url).pathname,
      wire: 0,
      cached: e.response.fromDiskCache || fromCache.has(e.requestId),
      cacheControl: e.response.headers['cache-control'] ?? e.response.headers['Cache-Control'] ?? '',
    }),
  );
  cdp.on('Network.loadingFinished', (e) => {
    const f = files.get(e.requestId);
    if (f) f.wire = e.encodedDataLength;
  });
  await page.goto(path);
  await page.waitForLoadState('networkidle');
  await cdp.detach();
  return [...files.values()];
}

test('the login page is a plain form of a few kilobytes: no bundle, within its 60 KB budget', async ({ page }) => {
  const files = await load(page, '/login');
  const paths = files.map((f) => f.path);
  expect(paths.filter((p) => p.endsWith('.wasm') || p.match(/^\/pkg\/.*\.js$/))).toEqual([]);
  const wire = files.reduce((sum, f) => sum + f.wire, 0);
  console.log(`/login first load: ${files.length} files, ${wire} B on the wire`);
  expect(wire).toBeLessThan(60 * 1024);
  // Without a bundle it still logs in.
  await page.getByLabel('用户名').fill('zj.gushao');
  await page.getByLabel('密码').fill('zhucun-demo-2026');
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page).toHaveURL(/\/township$/);
});

test('the office bundle is named by its content, cached for good, and not fetched on a repeat visit', async ({ page }) => {
  await login(page, 'zj.gushao');
  const first = await load(page, '/township');
  const bundle = first.filter((f) => f.path.startsWith('/pkg/'));
  expect(bundle.map((f) => f.path).some((p) => p.endsWith('.wasm'))).toBeTruthy();
  for (const f of bundle) {
    expect(f.path, 'a content hash in the name').toMatch(/^\/pkg\/zhucun\.[A-Za-z0-9_-]{16,}(_bg)?\.(js|wasm|css)$/);
    expect(f.cacheControl, f.path).toContain('immutable');
  }
  const page_ = first.find((f) => f.path === '/township');
  expect(page_?.cacheControl).toBe('no-cache');

  // The next page (not a reload, which revalidates) uses the kept bundle.
  const again = await load(page, '/township/postings');
  const fetched = again.filter((f) => f.path.startsWith('/pkg/') && !f.cached);
  expect(fetched.map((f) => f.path)).toEqual([]);
});

test('the office pages and the field app find their stylesheet under its hashed name', async ({ page }) => {
  const styled = () =>
    page.evaluate(() =>
      [...document.styleSheets].filter((s) => /\/pkg\/zhucun\.[A-Za-z0-9_-]{16,}\.css$/.test(s.href ?? '')).map((s) => s.cssRules.length),
    );
  await page.goto('/login');
  expect(await styled()).toEqual([expect.any(Number)]);
  expect((await styled())[0]).toBeGreaterThan(50);
  await login(page, 'sj001');
  await expect(page).toHaveURL(/\/field$/);
  expect((await styled())[0]).toBeGreaterThan(50);
});
