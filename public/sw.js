// 驻村通 service worker: the app opens with the network off after one online visit.
//
// The field app (/field) is a static page plus a wasm bundle whose file names carry a content
// hash; its data lives in IndexedDB. Its page is fetched from the network when one answers
// within a few seconds and kept; otherwise the kept copy opens at once. Bundle files never
// change under their name, so they are served from the cache once there.
//
// The office pages are server-rendered with their data inside, then hydrated: network first,
// the last copy offline. The site's code (wasm, JS, CSS, icons) is cached at install and
// refreshed in the background. API and sync calls are never cached.
const VERSION = 'zhucun-v2';
const SHELL = ['/pkg/zhucun.js', '/pkg/zhucun.wasm', '/pkg/zhucun.css', '/icon.svg', '/manifest.webmanifest', '/register-sw.js', '/field/start.js'];
const FIELD = '/field';
// How long a navigation waits for the network before a kept copy is shown (weak signal).
const PATIENCE_MS = 4000;

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

const kept = (url) => SHELL.includes(url.pathname) || url.pathname === FIELD || url.pathname.startsWith('/field/pkg/');

// Office pages carry their account's data: the login page (where logging out lands) forgets
// them. The field app's page and code carry none and stay.
async function forgetPages(cache) {
  const keys = await cache.keys();
  await Promise.all(keys.filter((k) => !kept(new URL(k.url))).map((k) => cache.delete(k)));
}

// A new field page names new bundle files: the old ones go.
async function keepFieldPage(cache, response) {
  const html = await response.clone().text();
  await cache.put(FIELD, response);
  const keys = await cache.keys();
  await Promise.all(
    keys
      .filter((k) => new URL(k.url).pathname.startsWith('/field/pkg/') && !html.includes(new URL(k.url).pathname.replace(/_bg\.wasm$/, '')))
      .map((k) => cache.delete(k)),
  );
}

async function navigate(request) {
  const cache = await caches.open(VERSION);
  const path = new URL(request.url).pathname;
  const cached = await cache.match(path === FIELD ? FIELD : request, { ignoreSearch: true });
  const network = fetch(request).then(async (response) => {
    const landed = new URL(response.url).pathname;
    if (landed === '/login') {
      await forgetPages(cache);
    } else if (response.ok && !response.redirected) {
      if (path === FIELD) await keepFieldPage(cache, response.clone());
      else await cache.put(request, response.clone());
    }
    return response;
  });
  if (cached) {
    const timeout = new Promise((resolve) => setTimeout(() => resolve(cached), PATIENCE_MS));
    return Promise.race([network.catch(() => cached), timeout]);
  }
  return network.catch(async () => {
    const field = await cache.match(FIELD);
    if (field) return field;
    return new Response('<!DOCTYPE html><meta charset="utf-8"><title>驻村通</title><p>离线：此页面尚未缓存。/ Offline: this page is not cached yet.</p>', {
      headers: { 'content-type': 'text/html; charset=utf-8' },
    });
  });
}

async function cacheFirst(request) {
  const cache = await caches.open(VERSION);
  const cached = await cache.match(request);
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok) await cache.put(request, response.clone());
  return response;
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
    event.respondWith(navigate(event.request));
  } else if (url.pathname.startsWith('/field/pkg/')) {
    event.respondWith(cacheFirst(event.request));
  } else if (url.pathname.startsWith('/pkg/') || SHELL.includes(url.pathname)) {
    event.respondWith(staleWhileRevalidate(event.request));
  }
});
