// 驻村通 service worker: the app opens with the network off after one online visit.
//
// Pages are server-rendered with their data inside, then hydrated. Navigations go to the
// network first and the answer is kept; offline, the last copy of the page is served and
// hydrates from the data it carries. The app's code (wasm, JS, CSS, icons) is served from the
// cache and refreshed in the background. API and sync calls are never cached.
const VERSION = 'zhucun-v1';
const SHELL = ['/pkg/zhucun.js', '/pkg/zhucun.wasm', '/pkg/zhucun.css', '/icon.svg', '/manifest.webmanifest', '/register-sw.js'];

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(VERSION).then((c) => c.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k !== VERSION).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

// Pages carry their account's data: the login page (where logging out lands) forgets them.
async function forgetPages(cache) {
  const keys = await cache.keys();
  await Promise.all(keys.filter((k) => !SHELL.includes(new URL(k.url).pathname)).map((k) => cache.delete(k)));
}

async function networkFirst(request) {
  const cache = await caches.open(VERSION);
  try {
    const response = await fetch(request);
    if (new URL(response.url).pathname === '/login') {
      await forgetPages(cache);
    } else if (response.ok && !response.redirected) {
      cache.put(request, response.clone());
    }
    return response;
  } catch (e) {
    const cached = (await cache.match(request, { ignoreSearch: true })) || (await cache.match('/field'));
    if (cached) return cached;
    return new Response('<!DOCTYPE html><meta charset="utf-8"><title>驻村通</title><p>离线：此页面尚未缓存。/ Offline: this page is not cached yet.</p>', {
      headers: { 'content-type': 'text/html; charset=utf-8' },
    });
  }
}

async function staleWhileRevalidate(request) {
  const cache = await caches.open(VERSION);
  const cached = await cache.match(request);
  const refresh = fetch(request)
    .then((response) => {
      if (response.ok) cache.put(request, response.clone());
      return response;
    })
    .catch(() => cached);
  return cached || refresh;
}

self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== 'GET' || url.origin !== self.location.origin) return;
  if (url.pathname.startsWith('/api/') || url.pathname.startsWith('/sync/')) return;
  if (event.request.mode === 'navigate') {
    event.respondWith(networkFirst(event.request));
  } else if (url.pathname.startsWith('/pkg/') || SHELL.includes(url.pathname)) {
    event.respondWith(staleWhileRevalidate(event.request));
  }
});
