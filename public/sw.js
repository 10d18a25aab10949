// 驻村通 service worker: the app opens with the network off after one online visit.
//
// The field app (/field) is a static page plus a wasm bundle whose file names carry a content
// hash; its data lives in IndexedDB. Its page is fetched from the network when one answers
// within a few seconds and kept; otherwise the kept copy opens at once. Bundle files never
// change under their name, so they are served from the cache once there.
//
// The office pages are server-rendered with their data inside, then hydrated: network first,
// the last copy offline. Their bundle (/pkg/) is named by content hash too and kept once
// fetched, so the login page, which loads none, costs no bundle download at install. The small
// shell files are cached at install and refreshed in the background. API and sync calls are
// never cached.
const VERSION = 'zhucun-v3';
const SHELL = ['/icon.svg', '/manifest.webmanifest', '/register-sw.js', '/field/start.js'];
const FIELD = '/field';
// How long a navigation waits for the network before a kept copy is shown (weak signal).
const PATIENCE_MS = 4000;

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(VERSION).then((c) => c.addAll(SHELL)).then(() => self.skipWaiting()));
});

// An older version's cache goes, but not the field app it kept: a phone updated while online
// may next open the app in a village without signal.
async function carryOver() {
  const cache = await caches.open(VERSION);
  for (const name of (await caches.keys()).filter((k) => k !== VERSION)) {
    const old = await caches.open(name);
    for (const request of await old.keys()) {
      const path = new URL(request.url).pathname;
      if ((path === FIELD || isBundle(path)) && !(await cache.match(request))) {
        const response = await old.match(request);
        if (response) await cache.put(request, response);
      }
    }
    await caches.delete(name);
  }
}

self.addEventListener('activate', (event) => {
  event.waitUntil(carryOver().then(() => self.clients.claim()));
});

const isBundle = (path) => path.startsWith('/pkg/') || path.startsWith('/field/pkg/');
const kept = (url) => SHELL.includes(url.pathname) || url.pathname === FIELD || isBundle(url.pathname);

// Office pages carry their account's data: the login page (where logging out lands) forgets
// them. The field app's page and code carry none and stay.
async function forgetPages(cache) {
  const keys = await cache.keys();
  await Promise.all(keys.filter((k) => !kept(new URL(k.url))).map((k) => cache.delete(k)));
}

// Pages name their bundle's files: a file no kept page names any more (an old build's) goes.
async function dropUnusedBundle(cache) {
  const keys = await cache.keys();
  const pages = keys.filter((k) => !isBundle(new URL(k.url).pathname) && !SHELL.includes(new URL(k.url).pathname));
  const html = (await Promise.all(pages.map(async (k) => (await cache.match(k))?.text() ?? ''))).join('\n');
  const named = (path) => html.includes(path.replace(/_bg\.wasm$/, '').replace(/\.(wasm|js|css)$/, ''));
  await Promise.all(keys.filter((k) => isBundle(new URL(k.url).pathname) && !named(new URL(k.url).pathname)).map((k) => cache.delete(k)));
}

// Reading every kept page is for when a page names a file the cache lacks (a first visit or a
// new build), not for every navigation.
async function keepPage(cache, path, request, response) {
  const html = await response.clone().text();
  await cache.put(path === FIELD ? FIELD : request, response);
  const have = new Set((await cache.keys()).map((k) => new URL(k.url).pathname));
  const names = html.match(/\/(field\/)?pkg\/[^"'\s]+\.(js|wasm|css)/g) ?? [];
  if (names.some((n) => !have.has(n))) await dropUnusedBundle(cache);
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
      await keepPage(cache, path, request, response.clone());
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
  } else if (isBundle(url.pathname)) {
    event.respondWith(cacheFirst(event.request));
  } else if (SHELL.includes(url.pathname)) {
    event.respondWith(staleWhileRevalidate(event.request));
  }
});
