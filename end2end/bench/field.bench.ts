import { test, expect } from '@playwright/test';
import { brotliCompressSync, constants } from 'node:zlib';

const PASSWORD = 'zhucun-demo-2026';

// Chrome DevTools' "Slow 3G" preset: 400 ms × 5 latency, 500 kbit/s × 0.8 each way.
const SLOW_3G = { offline: false, latency: 2000, downloadThroughput: (500 * 1000) / 8 * 0.8, uploadThroughput: (500 * 1000) / 8 * 0.8 };

async function login(page, user: string) {
  await page.goto('/login');
  await page.getByLabel('用户名').fill(user);
  await page.getByLabel('密码').fill(PASSWORD);
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page).toHaveURL(/\/field$/);
  await expect(page.getByRole('heading', { name: '本周本月' })).toBeVisible();
}

test.describe('field app', () => {
  test.use({ serviceWorkers: 'block' });

  test('first load: bytes over the wire', async ({ page }) => {
    await login(page, 'sj020');
    // A cold load of the app by a logged-in secretary: no HTTP cache, no service worker.
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    const sizes = new Map<string, { url: string; type: string; wire: number }>();
    cdp.on('Network.responseReceived', (e) => sizes.set(e.requestId, { url: e.response.url, type: e.type, wire: 0 }));
    cdp.on('Network.loadingFinished', (e) => {
      const s = sizes.get(e.requestId);
      if (s) s.wire = e.encodedDataLength;
    });
    await page.goto('/field');
    await page.waitForSelector('body[data-hydrated]');
    await page.waitForLoadState('networkidle');
    const app = [...sizes.values()].filter((s) => !new URL(s.url).pathname.startsWith('/sync/'));
    let wire = 0;
    let best = 0;
    for (const s of app) {
      const body = await (await page.request.get(s.url, { headers: { 'accept-encoding': 'identity' } })).body();
      const br = brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
      wire += s.wire;
      best += br;
      console.log(`${new URL(s.url).pathname}\t${body.length} B raw\t${s.wire} B on the wire\t${br} B brotli-11`);
    }
    console.log(`FIRST LOAD: ${app.length} files, ${wire} B on the wire (server's compression, headers included), ${best} B brotli-11 bodies`);
    expect(app.some((s) => s.url.endsWith('.wasm'))).toBeTruthy();
  });

  test('1,000 queued records synced under Slow 3G', async ({ page }) => {
    await login(page, 'sj021');
    // 1,000 records as the app keeps them (docs/sync.md), written straight into IndexedDB
    // while the app is not running.
    await page.goto('/healthz');
    const queued = await page.evaluate(async () => {
      const db: IDBDatabase = await new Promise((ok, err) => {
        const r = indexedDB.open('zhucun-field');
        r.onsuccess = () => ok(r.result);
        r.onerror = () => err(r.error);
      });
      const tx = db.transaction('records', 'readwrite');
      const store = tx.objectStore('records');
      const now = Date.now();
      const day = new Date().toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' });
      for (let i = 0; i < 1000; i++) {
        const id = crypto.randomUUID();
        const t = new Date(now - (1000 - i) * 60_000).toISOString();
        const body = i % 2
          ? { kind: 'talk', body: { with: 'villager', requested_by_villager: i % 3 === 0, date: day, notes: `与村民谈心第${i}次：了解家庭收入、子女上学和医疗报销情况，讲解惠民政策。` } }
          : { kind: 'diary', body: { date: day, text: `民情日记第${i}篇：走访农户，记录群众对道路硬化、饮水安全和产业发展的意见建议。`, tags: ['民生'], households: [], photos: [] } };
        const record = { envelope: { id, device_time: t, ...body }, state: 'queued', error: null, verdict: null, missing_photos: [], synced_at: null, saved_at: t };
        store.put(JSON.stringify(record), id);
      }
      await new Promise((ok) => (tx.oncomplete = ok));
      return 1000;
    });
    expect(queued).toBe(1000);

    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', SLOW_3G);
    const requests: string[] = [];
    let pushBytes = 0;
    page.on('request', (r) => {
      if (new URL(r.url()).pathname.startsWith('/sync/')) {
        requests.push(`${r.method()} ${new URL(r.url()).pathname}`);
        if (r.method() === 'POST') pushBytes += r.postDataBuffer()?.length ?? 0;
      }
    });
    await page.goto('/field');
    await page.waitForSelector('body[data-hydrated]');
    // The app syncs by itself when it opens: time from there until everything is acknowledged.
    const started = Date.now();
    await expect(page.getByTestId('unsynced')).toHaveText('全部已同步', { timeout: 120_000 });
    const seconds = (Date.now() - started) / 1000;
    console.log(`SLOW 3G: 1000 records synced in ${seconds.toFixed(1)} s with ${requests.length} requests (${requests.join(', ')}); push body ${pushBytes} B gzip`);
  });

  test('a new phone reads 90 days of history back under Slow 3G', async ({ page, browser }) => {
    // Three records a day for the last 120 days, pushed as the secretary's old phone did.
    await login(page, 'sj022');
    const day = (t: number) => new Date(t).toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' });
    const now = Date.now();
    const records = [];
    for (let i = 0; i < 360; i++) {
      const t = now - (i + 1) * 8 * 3600_000;
      records.push({ id: crypto.randomUUID(), device_time: new Date(t).toISOString(), kind: 'diary',
        body: { date: day(t), text: `民情日记第${i}篇：走访农户，记录群众对道路硬化、饮水安全和产业发展的意见建议。`, tags: ['民生'], households: [], photos: [] } });
    }
    const stored = new Set<string>();
    const origin = new URL(page.url()).origin;
    for (let i = 0; i < records.length; i += 120) {
      const res = await page.request.post('/sync/push', {
        headers: { origin },
        data: { device_now: new Date().toISOString(), records: records.slice(i, i + 120) },
      });
      expect(res.status()).toBe(200);
      for (const ack of (await res.json()).acks) if (ack.status === 'stored') stored.add(ack.id);
    }
    // Those made before the term began are refused; the rest are the phone's history.
    const kept = records.filter((r) => stored.has(r.id) && Date.parse(r.device_time) > now - 90 * 86400_000).length;
    expect(kept).toBeGreaterThan(100);

    // A fresh profile: nothing on the phone. The secretary logs in under Slow 3G; timed from
    // the tap on 登录 (the login, the app, the reference data and the history pages).
    const context = await browser.newContext({ ...test.info().project.use, serviceWorkers: 'block' });
    const phone = await context.newPage();
    const cdp = await context.newCDPSession(phone);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', SLOW_3G);
    await phone.goto('/login');
    await phone.getByLabel('用户名').fill('sj022');
    await phone.getByLabel('密码').fill(PASSWORD);
    const started = Date.now();
    await phone.getByRole('button', { name: '登录' }).click();
    await phone.waitForURL(/\/field$/, { timeout: 120_000 });
    // Reads the app's database only once the app has made it (opening it first would create
    // an empty one).
    await phone.waitForFunction(async (n) => {
      if (!(await indexedDB.databases()).some((d) => d.name === 'zhucun-field')) return false;
      const db: IDBDatabase = await new Promise((ok) => { const r = indexedDB.open('zhucun-field'); r.onsuccess = () => ok(r.result); });
      const ready = db.objectStoreNames.contains('records');
      const count: number = ready
        ? await new Promise((ok) => { const r = db.transaction('records').objectStore('records').count(); r.onsuccess = () => ok(r.result); })
        : 0;
      db.close();
      return count >= n;
    }, kept, { timeout: 120_000, polling: 250 });
    const seconds = (Date.now() - started) / 1000;
    console.log(`SLOW 3G HISTORY: ${kept} records of the last 90 days on a new phone ${seconds.toFixed(1)} s after tapping 登录`);
    await context.close();
  });
});
