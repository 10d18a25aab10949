// Lighthouse (mobile form factor, simulated throttling: its defaults) on the pages issue 12
// budgets, against the running release build at BASE_URL. Logged-in pages get a session cookie
// from the login form. Prints one line per page and run for docs/benchmarks.md and exits non-zero
// when an office page misses LCP ≤ 2.5 s or TBT ≤ 200 ms (the field app is measured beside them;
// its budget is its first-load size, in field.bench.ts). Run by `cargo xtask bench`, which installs
// lighthouse@12.2.3 (the newest that runs on Node 20) with the project's npm tools.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const BASE = process.env.BASE_URL ?? 'http://127.0.0.1:3200';
const PASSWORD = 'zhucun-demo-2026';
const RUNS = Number(process.env.LIGHTHOUSE_RUNS ?? 2);
// [who logs in, page, held to the LCP and TBT budgets]
const PAGES = [
  [null, '/login', true],
  ['zj.gushao', '/township', true],
  ['zzb', '/dashboard', true],
  ['sj001', '/field', false],
];
const LCP_MS = 2500;
const TBT_MS = 200;

async function sessionCookie(user) {
  const res = await fetch(`${BASE}/api/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: new URLSearchParams({ username: user, password: PASSWORD }),
    redirect: 'manual',
  });
  const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  if (!res.ok || !cookie) throw new Error(`login as ${user}: HTTP ${res.status}`);
  return cookie;
}

function audit(url, cookie, out) {
  const args = [
    url,
    '--only-categories=performance',
    '--output=json',
    `--output-path=${out}`,
    '--quiet',
    '--chrome-flags=--headless=new --no-sandbox --disable-gpu',
  ];
  if (cookie) args.push(`--extra-headers=${JSON.stringify({ Cookie: cookie })}`);
  execFileSync('lighthouse', args, { env: { ...process.env, CHROME_PATH: '/usr/bin/chromium' }, stdio: 'inherit' });
  const lhr = JSON.parse(readFileSync(out, 'utf8'));
  const items = lhr.audits['network-requests'].details.items;
  const biggest = items.reduce((a, b) => (b.transferSize > a.transferSize ? b : a));
  return {
    final: new URL(lhr.finalDisplayedUrl).pathname,
    score: Math.round(lhr.categories.performance.score * 100),
    lcp: lhr.audits['largest-contentful-paint'].numericValue,
    tbt: lhr.audits['total-blocking-time'].numericValue,
    transfer: items.reduce((sum, i) => sum + i.transferSize, 0),
    biggest: `${new URL(biggest.url).pathname.replace(/\.[A-Za-z0-9_-]{16,}|-[0-9a-f]{16}/, '.<hash>')} ${biggest.transferSize} B`,
  };
}

const dir = mkdtempSync(join(tmpdir(), 'lighthouse-'));
let failed = false;
for (const [user, path, budgeted] of PAGES) {
  for (let run = 1; run <= RUNS; run++) {
    const cookie = user ? await sessionCookie(user) : null;
    const r = audit(BASE + path, cookie, join(dir, `${path.slice(1)}-${run}.json`));
    const ok = r.final === path && (!budgeted || (r.lcp <= LCP_MS && r.tbt <= TBT_MS));
    failed ||= !ok;
    console.log(
      `LIGHTHOUSE ${path} run ${run}: score ${r.score}, LCP ${(r.lcp / 1000).toFixed(1)} s, ` +
        `TBT ${Math.round(r.tbt)} ms, transfer ${r.transfer} B, biggest ${r.biggest}` +
        (ok ? '' : r.final === path ? '  ← past LCP 2.5 s / TBT 200 ms' : `  ← landed on ${r.final}`),
    );
  }
}
process.exit(failed ? 1 : 0);
