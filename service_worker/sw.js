/* Vienuviet service worker: a hand-written classic script. The caching policy, the push payload
 * and the subscription endpoint are described in service_worker/README.md. */
"use strict";

// Written in by the server at /sw.js: version, precache list, offline pages, icons, push key.
const CONFIG = __CONFIG__;

const PREFIX = "vienuviet-";
const SHELL_CACHE = `${PREFIX}shell-${CONFIG.version}`;
const STATIC_CACHE = `${PREFIX}static-${CONFIG.version}`;
const META_CACHE = `${PREFIX}meta`;
const LANGUAGE_KEY = "/__vienuviet/language";
const SNAPSHOT_DB = "vienuviet-offline";
// Never answered from, nor written to, Cache Storage: personal or state-changing responses.
const NEVER_CACHED = ["/graphql", "/auth/", "/api/", "/oauth/", "/push/", "/language/"];

let knownLanguage = null;

async function precache() {
  const cache = await caches.open(SHELL_CACHE);
  // `reload` skips the HTTP cache: the precache must match this version exactly.
  await cache.addAll(CONFIG.precache.map((url) => new Request(url, { cache: "reload" })));
}

self.addEventListener("install", (event) => {
  event.waitUntil(precache().then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      const current = new Set([SHELL_CACHE, STATIC_CACHE, META_CACHE]);
      for (const name of await caches.keys()) {
        if (name.startsWith(PREFIX) && !current.has(name)) await caches.delete(name);
      }
      await self.clients.claim();
    })(),
  );
});

function isHashedStatic(url) {
  return url.pathname.startsWith("/static/") && url.searchParams.has("v");
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  // Login, logout and API traffic stay entirely between the browser and the server.
  if (NEVER_CACHED.some((prefix) => url.pathname.startsWith(prefix))) return;
  if (request.mode === "navigate") {
    event.respondWith(navigate(event));
  } else if (isHashedStatic(url)) {
    event.respondWith(cacheFirst(request));
  }
  // Everything else goes to the network untouched, as if there were no service worker.
});

async function navigate(event) {
  try {
    const response = await fetch(event.request);
    rememberLanguage(response.headers.get("Content-Language"));
    return response; // never stored: pages may be personal
  } catch (error) {
    return offlinePage();
  }
}

async function cacheFirst(request) {
  const cached = await caches.match(request);
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok && response.type === "basic") {
    const copy = response.clone();
    caches.open(STATIC_CACHE).then((cache) => cache.put(request, copy));
  }
  return response;
}

function rememberLanguage(language) {
  if (!language || !(language in CONFIG.offline) || language === knownLanguage) return;
  knownLanguage = language;
  caches.open(META_CACHE).then((cache) => cache.put(LANGUAGE_KEY, new Response(language)));
}

async function currentLanguage() {
  if (knownLanguage) return knownLanguage;
  const stored = await caches.match(LANGUAGE_KEY);
  const language = stored ? await stored.text() : null;
  return language in CONFIG.offline ? language : CONFIG.defaultLanguage;
}

async function offlinePage() {
  const url = CONFIG.offline[await currentLanguage()];
  const cached = await caches.match(url);
  return cached || new Response("Offline", { status: 503, headers: { "Content-Type": "text/plain" } });
}

// --- Push -----------------------------------------------------------------------------------

/** A same-origin URL for `value`, or the home page: a notification never leaves the site. */
function sameOriginUrl(value) {
  try {
    const url = new URL(value || "/", self.location.origin);
    if (url.origin === self.location.origin) return url.href;
  } catch (error) {
    // fall through: a malformed URL opens the home page
  }
  return new URL("/", self.location.origin).href;
}

function readPayload(data) {
  if (!data) return {};
  try {
    const payload = data.json();
    return payload && typeof payload === "object" ? payload : {};
  } catch (error) {
    return { body: data.text() };
  }
}

function notificationFrom(payload) {
  const actions = (Array.isArray(payload.actions) ? payload.actions : [])
    .filter((a) => a && typeof a.action === "string" && typeof a.title === "string")
    .slice(0, 2);
  const urls = {};
  for (const a of actions) if (a.url) urls[a.action] = sameOriginUrl(a.url);
  const options = {
    body: typeof payload.body === "string" ? payload.body : "",
    icon: CONFIG.icon,
    badge: CONFIG.badge,
    lang: typeof payload.lang === "string" ? payload.lang : "",
    data: { url: sameOriginUrl(payload.url), actionUrls: urls },
    actions: actions.map((a) => ({ action: a.action, title: a.title })),
  };
  if (typeof payload.tag === "string" && payload.tag) {
    options.tag = payload.tag;
    options.renotify = true; // a newer notice about the same thing still alerts the person
  }
  const title = typeof payload.title === "string" && payload.title ? payload.title : "Vienuviet";
  return { title, options };
}

self.addEventListener("push", (event) => {
  const { title, options } = notificationFrom(readPayload(event.data));
  event.waitUntil(self.registration.showNotification(title, options));
});

async function openDeepLink(url) {
  const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
  const exact = windows.find((client) => client.url === url);
  if (exact) return exact.focus();
  // Reuse a window of ours (the installed app's, usually) rather than opening another.
  const ours = windows.find((client) => new URL(client.url).origin === self.location.origin);
  if (ours && "navigate" in ours) {
    const navigated = await ours.navigate(url).catch(() => null);
    if (navigated) return navigated.focus().catch(() => navigated);
  }
  return self.clients.openWindow(url);
}

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  if (event.action === "dismiss") return;
  const data = event.notification.data || {};
  const url = (data.actionUrls && data.actionUrls[event.action]) || sameOriginUrl(data.url);
  event.waitUntil(openDeepLink(url));
});

function base64UrlToBytes(value) {
  const base64 = (value + "=".repeat((4 - (value.length % 4)) % 4))
    .replace(/-/g, "+")
    .replace(/_/g, "/");
  return Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
}

async function resubscribe(oldSubscription, newSubscription) {
  let subscription = newSubscription;
  if (!subscription) {
    const key =
      (oldSubscription && oldSubscription.options && oldSubscription.options.applicationServerKey) ||
      (CONFIG.applicationServerKey && base64UrlToBytes(CONFIG.applicationServerKey));
    if (!key) return;
    subscription = await self.registration.pushManager.subscribe({
      userVisibleOnly: true,
      applicationServerKey: key,
    });
  }
  const json = subscription.toJSON();
  await fetch(CONFIG.subscriptionsUrl, {
    method: "POST",
    credentials: "same-origin",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({
      endpoint: json.endpoint,
      keys: { p256dh: json.keys.p256dh, auth: json.keys.auth },
      oldEndpoint: oldSubscription ? oldSubscription.endpoint : null,
      // Proof that this is the device the old subscription belongs to: its auth secret is
      // known to this browser and the server only (push services never see it).
      oldAuth: oldSubscription ? oldSubscription.toJSON().keys.auth : null,
    }),
  });
}

self.addEventListener("pushsubscriptionchange", (event) => {
  event.waitUntil(resubscribe(event.oldSubscription || null, event.newSubscription || null));
});

// --- Logout ---------------------------------------------------------------------------------

function deleteSnapshot() {
  return new Promise((resolve) => {
    const request = indexedDB.deleteDatabase(SNAPSHOT_DB);
    request.onsuccess = request.onerror = request.onblocked = () => resolve();
  });
}

async function forgetEverything() {
  for (const name of await caches.keys()) {
    if (name.startsWith(PREFIX)) await caches.delete(name);
  }
  knownLanguage = null;
  await deleteSnapshot();
  await precache().catch(() => undefined); // the shell holds nothing personal: offline keeps working
}

self.addEventListener("message", (event) => {
  if (event.origin && event.origin !== self.location.origin) return;
  const type = event.data && event.data.type;
  if (type === "language") {
    rememberLanguage(event.data.language);
  } else if (type === "logout") {
    const done = forgetEverything().then(() => {
      if (event.ports[0]) event.ports[0].postMessage({ type: "logged-out" });
    });
    event.waitUntil(done);
  }
});
