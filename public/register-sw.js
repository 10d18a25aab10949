// Registers the service worker (sw.js) that lets the app open without a network.
if ('serviceWorker' in navigator) {
  navigator.serviceWorker.register('/sw.js');
}
