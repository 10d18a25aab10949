// Registers the service worker (sw.js) that lets the app open without a network, and asks the
// browser to keep this site's storage (the unsynced records will live there) under pressure.
if ('serviceWorker' in navigator) {
  navigator.serviceWorker.register('/sw.js');
}
if (navigator.storage && navigator.storage.persist) {
  navigator.storage.persist();
}
