import { chromium, devices } from 'playwright-core';
const b = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox','--disable-gpu','--disable-background-networking','--disable-component-update','--disable-sync','--no-first-run'] });
const [user, path, out, mobile] = process.argv.slice(2);
const ctx = await b.newContext(mobile === '1' ? { ...devices['Pixel 7'] } : { viewport: { width: 1280, height: 800 } });
const p = await ctx.newPage();
p.on('pageerror', e => console.log('PAGEERROR', e.message.slice(0, 300)));
await p.goto('http://127.0.0.1:3000/login'); await p.waitForSelector('body[data-hydrated]');
if (user !== '-') {
await p.getByLabel('用户名').fill(user); await p.getByLabel('密码').fill('zhucun-demo-2026');
await p.getByRole('button', { name: '登录' }).click(); await p.waitForURL(u => !u.pathname.endsWith('/login'));
await p.goto('http://127.0.0.1:3000' + path); await p.waitForSelector('body[data-hydrated]');
}
await p.waitForTimeout(500);
await p.screenshot({ path: out, fullPage: false });
await b.close();
