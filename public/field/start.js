// Starts the field app: loads the bundle the page names (its file names carry a content hash,
// so a cached page and its code always match).
const bundle = document.querySelector('script[data-bundle]').dataset.bundle;
import(bundle).then((m) => m.default());
