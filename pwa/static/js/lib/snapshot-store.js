// The encrypted offline copy of a person's deadlines, kept in IndexedDB.
//
// The AES-GCM key is generated here as non-extractable and stored in the same database: script
// can use it but never read it, so the ciphertext is useless outside this browser profile. The
// service worker deletes the whole database at logout (DB_NAME is shared with service_worker/sw.js).
export const DB_NAME = "vienuviet-offline";
const STORE = "snapshot";
const KEY_ID = "key";
const DATA_ID = "deadlines";

export function supported() {
  return Boolean(window.indexedDB && window.crypto && window.crypto.subtle && window.isSecureContext);
}

function request(req) {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

// Reading never creates the database: a person who never opted in keeps nothing on the device.
async function openDb(create) {
  const open = indexedDB.open(DB_NAME, 1);
  let declined = false;
  open.onupgradeneeded = () => {
    if (create) {
      open.result.createObjectStore(STORE);
    } else {
      declined = true;
      open.transaction.abort();
    }
  };
  try {
    return await request(open);
  } catch (error) {
    if (declined) return null;
    throw error;
  }
}

async function withStore(mode, work) {
  const db = await openDb(mode === "readwrite");
  if (!db) return undefined;
  db.onversionchange = () => db.close(); // never block the logout wipe
  try {
    const store = db.transaction(STORE, mode).objectStore(STORE);
    return await work(store);
  } finally {
    db.close();
  }
}

async function key() {
  const existing = await withStore("readonly", (store) => request(store.get(KEY_ID)));
  if (existing) return existing;
  const created = await crypto.subtle.generateKey({ name: "AES-GCM", length: 256 }, false, [
    "encrypt",
    "decrypt",
  ]);
  await withStore("readwrite", (store) => request(store.put(created, KEY_ID)));
  return created;
}

/** Encrypt and keep `deadlines` (with the time and language of saving). */
export async function save(deadlines, language) {
  const plain = JSON.stringify({ savedAt: new Date().toISOString(), language, deadlines });
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const data = await crypto.subtle.encrypt(
    { name: "AES-GCM", iv },
    await key(),
    new TextEncoder().encode(plain),
  );
  await withStore("readwrite", (store) => request(store.put({ iv, data }, DATA_ID)));
}

/** The saved snapshot, or null when there is none (or it cannot be decrypted). */
export async function load() {
  const [cryptoKey, record] =
    (await withStore("readonly", (store) =>
      Promise.all([request(store.get(KEY_ID)), request(store.get(DATA_ID))]),
    )) || [];
  if (!cryptoKey || !record) return null;
  try {
    const plain = await crypto.subtle.decrypt({ name: "AES-GCM", iv: record.iv }, cryptoKey, record.data);
    return JSON.parse(new TextDecoder().decode(plain));
  } catch (error) {
    return null;
  }
}

export async function isEnabled() {
  const record = await withStore("readonly", (store) => request(store.get(DATA_ID)));
  return Boolean(record);
}

/** Forget the snapshot and its key. */
export function wipe() {
  return new Promise((resolve) => {
    const req = indexedDB.deleteDatabase(DB_NAME);
    req.onsuccess = req.onerror = req.onblocked = () => resolve();
  });
}

/** Keep only well-formed entries: [{title, due (YYYY-MM-DD), subject, url (same-site path)}]. */
export function clean(entries) {
  if (!Array.isArray(entries)) return [];
  return entries
    .filter((e) => e && typeof e.title === "string" && /^\d{4}-\d{2}-\d{2}$/.test(e.due))
    .map((e) => ({
      title: e.title,
      due: e.due,
      subject: typeof e.subject === "string" ? e.subject : "",
      url: typeof e.url === "string" && /^\/(?![/\\])/.test(e.url) ? e.url : "",
    }))
    .sort((a, b) => a.due.localeCompare(b.due));
}
