// The /api/v1 feeds, same origin, decoded from Arrow IPC with apache-arrow. Every call carries the
// signed-in bearer token (or, in the service's Development mode, the role picked on the page).
import { tableFromIPC } from 'apache-arrow';

const TOKEN_KEY = 'qa.token';
const DEV_KEY = 'qa.dev';

/** A refusal the page explains instead of breaking: 401 → sign in, 403 → not available to your role, 404 → not found. */
export class ApiError extends Error {
  constructor(status, detail, path) {
    super(detail || `HTTP ${status}`);
    this.status = status;
    this.path = path;
  }
}

export const session = {
  get token() { return sessionStorage.getItem(TOKEN_KEY); },
  set token(value) { value ? sessionStorage.setItem(TOKEN_KEY, value) : sessionStorage.removeItem(TOKEN_KEY); },
  get dev() { const v = sessionStorage.getItem(DEV_KEY); return v ? JSON.parse(v) : null; },
  set dev(value) { value ? sessionStorage.setItem(DEV_KEY, JSON.stringify(value)) : sessionStorage.removeItem(DEV_KEY); },
  signOut() { sessionStorage.removeItem(TOKEN_KEY); sessionStorage.removeItem(DEV_KEY); },
};

/** The caller's claims as the page understands them (the service checks the token; this only shapes the navigation). */
export function identity(mode) {
  if (mode === 'Development') {
    const dev = session.dev ?? { role: 'director' };
    return { role: dev.role, la_code: dev.la_code || null, service_area: dev.service_area || null, team_id: dev.team_id || null, sub: 'development' };
  }
  const token = session.token;
  if (!token) return null;
  try {
    const payload = JSON.parse(atob(token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')));
    return { role: payload.qa_role, la_code: payload.la_code ?? null, service_area: payload.service_area ?? null, team_id: payload.team_id ?? null, sub: payload.sub, exp: payload.exp };
  } catch {
    return { role: null };
  }
}

function headers() {
  const h = { Accept: 'application/vnd.apache.arrow.stream' };
  if (session.token) h.Authorization = `Bearer ${session.token}`;
  const dev = session.dev;
  if (dev) {
    h['X-QaAnalytics-Dev-Role'] = dev.role;
    if (dev.la_code) h['X-QaAnalytics-Dev-La-Code'] = dev.la_code;
    if (dev.service_area) h['X-QaAnalytics-Dev-Service-Area'] = dev.service_area;
    if (dev.team_id) h['X-QaAnalytics-Dev-Team-Id'] = dev.team_id;
  }
  return h;
}

/** GET /api/v1/{path}?params → { rows, table, snapshotId, createdAt, notes, ms }. */
export async function get(path, params = {}) {
  const query = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || v === null || v === '') continue;
    for (const one of Array.isArray(v) ? v : [v]) query.append(k, one);
  }
  const url = `/api/v1/${path}${query.size ? `?${query}` : ''}`;
  const started = performance.now();
  const response = await fetch(url, { headers: headers() });
  if (!response.ok) {
    let detail = '';
    try { detail = (await response.json()).detail ?? ''; } catch { /* not a problem body */ }
    throw new ApiError(response.status, detail, path);
  }
  const table = tableFromIPC(new Uint8Array(await response.arrayBuffer()));
  const rows = table.toArray().map((r) => normalise(r.toJSON()));
  return {
    rows,
    table: response.headers.get('X-Table'),
    snapshotId: response.headers.get('X-Snapshot-Id'),
    createdAt: response.headers.get('X-Snapshot-Created-At'),
    notes: (response.headers.get('X-Notes') ?? '').split(',').filter((n) => n.trim()).map((n) => decodeURIComponent(n.trim())),
    ms: performance.now() - started,
  };
}

// Arrow int64 arrives as BigInt: counts here are far below 2^53, so plain numbers are exact.
function normalise(row) {
  for (const k of Object.keys(row)) if (typeof row[k] === 'bigint') row[k] = Number(row[k]);
  return row;
}

/** The snapshot served and whether the model has scored it (authenticated, like the feeds). */
export async function status() {
  const response = await fetch('/dashboard/status.json', { headers: headers() });
  if (!response.ok) throw new ApiError(response.status, '', 'status');
  return response.json();
}

/** The service's mode (Development offers the role picker), from /dashboard/config.json. */
export async function config() {
  const response = await fetch('/dashboard/config.json');
  return response.ok ? response.json() : { mode: 'Jwt' };
}
