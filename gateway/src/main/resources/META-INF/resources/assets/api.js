// The gateway's API as the page uses it. Every call carries the caller's key in X-API-Key, so images are fetched
// with fetch() and shown from blob URLs (an <img src> could not send the header). A failed call becomes an ApiError
// holding the problem+json detail the gateway wrote for people to read.

const USER_KEY = 'shipgan.apiKey';
const ADMIN_KEY = 'shipgan.adminKey';

/** A call the gateway refused or could not answer; `detail` is the sentence to show. */
export class ApiError extends Error {
  constructor(status, title, detail, retryAfterSeconds) {
    super(detail);
    this.status = status;
    this.title = title;
    this.detail = detail;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  /** True when a (different) key could fix it. */
  get isKeyProblem() {
    return this.status === 401 || this.status === 403;
  }
}

/** The keys of this browser tab: kept in sessionStorage, so they go when the tab closes. */
export const keys = {
  user: () => sessionStorage.getItem(USER_KEY),
  admin: () => sessionStorage.getItem(ADMIN_KEY),
  setUser: (key) => store(USER_KEY, key),
  setAdmin: (key) => store(ADMIN_KEY, key),
  asked: () => sessionStorage.getItem(USER_KEY) !== null,
};

function store(name, key) {
  if (key === null) {
    sessionStorage.removeItem(name);
  } else {
    sessionStorage.setItem(name, key.trim());
  }
}

const JSON_TYPES = 'application/json, application/problem+json';

async function call(path, { method = 'GET', key = keys.user(), body, accept = JSON_TYPES } = {}) {
  const headers = { Accept: accept };
  if (key) {
    headers['X-API-Key'] = key;
  }
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
  }
  let response;
  try {
    response = await fetch(path, {
      method, headers, body: body === undefined ? undefined : JSON.stringify(body), cache: 'no-store',
    });
  } catch (e) {
    throw new ApiError(0, 'Network error', 'the gateway cannot be reached; check your connection', null);
  }
  if (!response.ok) {
    throw await problemOf(response);
  }
  return response;
}

/** Reads the problem+json body; an answer without one still gets a readable sentence. */
async function problemOf(response) {
  const retryAfter = Number.parseInt(response.headers.get('Retry-After') ?? '', 10);
  let title = response.statusText || 'Error';
  let detail = null;
  if ((response.headers.get('Content-Type') ?? '').includes('json')) {
    try {
      const problem = await response.json();
      title = problem.title ?? title;
      detail = problem.detail ?? null;
    } catch (e) {
      // a body that is not JSON after all: the status line below says enough
    }
  }
  return new ApiError(response.status, title, detail ?? `${response.status} ${title}`,
    Number.isFinite(retryAfter) ? retryAfter : null);
}

/** GET a JSON document with the user key. */
export async function getJson(path) {
  return (await call(path)).json();
}

/** GET an image with the user key: its blob and the response headers (X-Model-Version, X-Seed, X-Label). */
export async function getImage(path) {
  const response = await call(path, { accept: 'image/png, application/problem+json' });
  return { blob: await response.blob(), headers: response.headers };
}

/** An admin operation (pin, unpin, roll back, start, stop) with the given admin key; answers its JSON. */
export async function adminCall(path, method, adminKey, body) {
  return (await call(path, { method, key: adminKey, body })).json();
}

/** The query string of the defined parameters. */
export function query(parameters) {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(parameters)) {
    if (value !== undefined && value !== null && value !== '') {
      search.set(name, String(value));
    }
  }
  return search.toString();
}
