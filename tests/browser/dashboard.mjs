// Drives the dashboard in Debian's headless chromium (playwright-core, executablePath: never a
// downloaded browser) against a running qa-service, and prints one JSON report on stdout:
// per page, console errors, failed requests, the figures compared with the service's own answer
// to the same query (fetched again here as JSON, a different writer from the Arrow the page
// decodes), axe's serious/critical violations, the time until the page's data was shown, and a
// screenshot. The xUnit test (tests/QaAnalytics.Tests/Dashboard/DashboardBrowserTests.cs) asserts
// on the report; the benchmark prints its timings.
//
//   node dashboard.mjs --base http://127.0.0.1:5081 --plan plan.json --screenshots DIR
//
// plan.json: { "visits": [{ "name", "base"? (another service), "token"?, "signInThroughForm"?, "dev"? (Development
//              role picker), "hash", "expect"?: "data" | "refused" | "signin" | "not-scored", "absent"?: [text that must not appear] }] }
import { readFile, mkdir } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import AxeBuilder from '@axe-core/playwright';

const { values } = parseArgs({ options: { base: { type: 'string' }, plan: { type: 'string' }, screenshots: { type: 'string' }, chromium: { type: 'string', default: '/usr/bin/chromium' } } });
if (!values.base || !values.plan || !values.screenshots) {
  process.stderr.write('usage: node dashboard.mjs --base URL --plan plan.json --screenshots DIR\n');
  process.exit(2);
}
const plan = JSON.parse(await readFile(values.plan, 'utf8'));
await mkdir(values.screenshots, { recursive: true });

// Which columns identify a row of each table, as the page's data-key attributes write them.
const KEYS = {
  grade_distribution: ['period'], audit_compliance: ['period'], inadequate_follow_up: ['period'], moderation: ['period'], complaints: ['period'],
  kpi_trend: ['period', 'kpi_code'], theme_correlation: ['theme'], triangulation: ['team_id', 'theme'], risk_flags: ['team_id', 'period'],
};

function authHeaders(visit) {
  const h = {};
  if (visit.token) h.Authorization = `Bearer ${visit.token}`;
  if (visit.dev) {
    h['X-QaAnalytics-Dev-Role'] = visit.dev.role;
    if (visit.dev.la_code) h['X-QaAnalytics-Dev-La-Code'] = visit.dev.la_code;
    if (visit.dev.team_id) h['X-QaAnalytics-Dev-Team-Id'] = visit.dev.team_id;
  }
  return h;
}

/** The service's answers to the page's own queries, as JSON, indexed like the page's data-key attributes. */
async function expected(urls, visit) {
  const index = new Map();
  for (const url of urls) {
    const u = new URL(url);
    u.searchParams.set('format', 'json');
    const response = await fetch(u, { headers: authHeaders(visit) });
    if (!response.ok) continue;
    const body = await response.json();
    const ids = KEYS[body.table];
    if (!ids) continue;
    for (const row of body.rows) {
      for (const [column, value] of Object.entries(row)) index.set([body.table, ...ids.map((c) => row[c]), column].join(':'), value);
    }
  }
  return index;
}

const browser = await chromium.launch({ executablePath: values.chromium, headless: true, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
const report = { visits: [] };
try {
  for (const visit of plan.visits) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    // The page keeps its credentials in sessionStorage, as after signing in (the first visit signs in through the form).
    await context.addInitScript(([token, dev]) => {
      if (token) sessionStorage.setItem('qa.token', token);
      if (dev) sessionStorage.setItem('qa.dev', JSON.stringify(dev));
    }, [visit.signInThroughForm ? null : (visit.token ?? null), visit.dev ?? null]);
    const page = await context.newPage();
    const result = { name: visit.name, consoleErrors: [], failedRequests: [], apiUrls: [], compared: 0, mismatches: [], axe: [] };
    const refusalExpected = visit.expect && visit.expect !== 'data';
    page.on('console', (m) => {
      // Chromium logs every 4xx fetch; on a visit that expects a refusal the page explains it instead.
      if (m.type() === 'error' && !(refusalExpected && /status of (401|403|404)\b/.test(m.text()))) result.consoleErrors.push(m.text());
    });
    page.on('pageerror', (e) => result.consoleErrors.push(String(e)));
    page.on('requestfailed', (r) => result.failedRequests.push(`${r.url()} ${r.failure()?.errorText}`));
    page.on('response', (r) => {
      const url = r.url();
      if (url.includes('/api/v1/')) result.apiUrls.push(url);
      // A refusal the page was built to explain (401, 403, 404 "not scored") is an answer, not a failed request.
      if (r.status() >= 400 && !(refusalExpected && [401, 403, 404].includes(r.status()))) result.failedRequests.push(`${url} ${r.status()}`);
    });
    const started = Date.now();
    await page.goto(`${visit.base ?? values.base}/${visit.hash ? `#${visit.hash}` : ''}`);
    if (visit.signInThroughForm) {
      await page.waitForSelector('#signin-form');
      await page.fill('#token', visit.token);
      await page.click('#signin-form button[type=submit]');
    }
    await page.waitForSelector('main[data-ready="true"]', { timeout: 30000 });
    result.ms = Date.now() - started;
    result.dataMs = Number(await page.getAttribute('main', 'data-ms')) || null;
    result.heading = (await page.textContent('main h1'))?.trim() ?? '';
    result.text = (await page.textContent('main')) ?? '';
    result.provenance = (await page.textContent('#provenance'))?.trim() ?? '';
    result.snapshotId = await page.locator('[data-testid=snapshot-id]').textContent().catch(() => null);
    for (const t of visit.absent ?? []) if (result.text.includes(t)) result.mismatches.push(`page shows '${t}'`);
    if ((visit.expect ?? 'data') === 'data') {
      const index = await expected(result.apiUrls, visit);
      for (const cell of await page.locator('[data-key]').all()) {
        const key = await cell.getAttribute('data-key');
        const shown = await cell.getAttribute('data-value');
        if (!index.has(key)) { result.mismatches.push(`${key}: not in the service's answer`); continue; }
        const want = index.get(key);
        const same = want === null ? shown === '' : typeof want === 'number' ? Math.abs(Number(shown) - want) <= 1e-9 * Math.max(1, Math.abs(want)) : String(want) === shown;
        if (!same) result.mismatches.push(`${key}: page ${shown}, service ${want}`);
        result.compared += 1;
      }
    }
    const axe = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
    result.axe = axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.length})`);
    await page.screenshot({ path: `${values.screenshots}/${visit.name}.png`, fullPage: true });
    delete result.text;
    result.textSample = (await page.textContent('main'))?.replace(/\s+/g, ' ').slice(0, 400);
    report.visits.push(result);
    await context.close();
  }
} finally {
  await browser.close();
}
process.stdout.write(JSON.stringify(report, null, 1));
