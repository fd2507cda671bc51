// The directors' dashboard: council overview, triangulation, risk flags and a team page, each
// read from the service's /api/v1 Arrow feeds under the signed-in caller's rights. Hash routes
// (#/team?team_id=T1) so any page can be bookmarked; the service, not the page, decides what a
// role may see: a refusal is shown as "not available to your role".
import * as Plot from '@observablehq/plot';
import { ApiError, config, get, identity, session, status } from './api.js';
import { count, esc, num, pct, share, table, WITHHELD } from './format.js';

const main = document.getElementById('main');
const provenance = document.getElementById('provenance');
const who = document.getElementById('who');
let mode = 'Jwt';

const ROLES = ['director', 'qa_lead', 'service_manager', 'team_manager', 'analyst', 'regional_partner'];
const GRAINS = { quarter: 'Financial quarter', year: 'Financial year', rolling12: 'Rolling 12 months' };

function route() {
  const [path, query] = (location.hash.replace(/^#\/?/, '') || 'overview').split('?');
  return { page: path.split('/')[0] || 'overview', params: new URLSearchParams(query ?? '') };
}

function go(page, params) {
  const q = new URLSearchParams(Object.entries(params).filter(([, v]) => v !== undefined && v !== null && v !== ''));
  location.hash = `#/${page}${q.size ? `?${q}` : ''}`;
}

function showProvenance(results) {
  const r = results.find((x) => x?.snapshotId);
  if (!r) return;
  const at = r.createdAt ? new Date(r.createdAt).toISOString().replace('T', ' ').slice(0, 16) : 'unknown';
  provenance.innerHTML = `Snapshot <strong data-testid="snapshot-id">${esc(r.snapshotId)}</strong>, as of <strong data-testid="snapshot-as-of">${esc(at)} UTC</strong>`;
}

function message(title, body, cls = '') {
  main.innerHTML = `<div class="message ${cls}" role="status"><h1>${esc(title)}</h1>${body}</div>`;
  main.dataset.ready = 'true';
}

function signInPage(reason) {
  who.innerHTML = '';
  main.innerHTML = `<section class="signin">
    <h1>Sign in</h1>
    <p>${esc(reason)}</p>
    <form id="signin-form">
      <label for="token">Bearer token from your council's sign-in service</label>
      <textarea id="token" name="token" autocomplete="off" spellcheck="false" required></textarea>
      <p><button type="submit">Sign in</button></p>
    </form></section>`;
  main.dataset.ready = 'true';
  document.getElementById('signin-form').addEventListener('submit', (e) => {
    e.preventDefault();
    session.token = document.getElementById('token').value.trim();
    render();
  });
}

function showWho(me) {
  if (mode === 'Development') {
    const dev = session.dev ?? { role: 'director' };
    who.innerHTML = `<form id="dev-role"><label>Role (Development mode)
      <select id="dev-role-select">${ROLES.map((r) => `<option ${r === dev.role ? 'selected' : ''}>${r}</option>`).join('')}</select></label>
      <label>Council <input id="dev-la" size="4" value="${esc(dev.la_code ?? '')}"></label>
      <label>Service area <input id="dev-area" size="10" value="${esc(dev.service_area ?? '')}"></label>
      <label>Team <input id="dev-team" size="8" value="${esc(dev.team_id ?? '')}"></label>
      <button type="submit">Use role</button></form>`;
    document.getElementById('dev-role').addEventListener('submit', (e) => {
      e.preventDefault();
      session.dev = {
        role: document.getElementById('dev-role-select').value, la_code: document.getElementById('dev-la').value.trim(),
        service_area: document.getElementById('dev-area').value.trim(), team_id: document.getElementById('dev-team').value.trim(),
      };
      render();
    });
    return;
  }
  who.innerHTML = `<span>Signed in as ${esc(me.sub ?? 'unknown')} (${esc(me.role ?? 'no role')}${me.team_id ? `, team ${esc(me.team_id)}` : ''})</span> <button id="sign-out" type="button">Sign out</button>`;
  document.getElementById('sign-out').addEventListener('click', () => { session.signOut(); render(); });
}

function markNav(page, me) {
  for (const a of document.querySelectorAll('#nav a')) {
    if (a.dataset.page === page) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
    // A team manager sees their own team; council-wide pages are not theirs.
    const councilWide = a.dataset.page === 'overview' || a.dataset.page === 'triangulation';
    a.parentElement.hidden = me?.role === 'team_manager' && councilWide;
    if (a.dataset.page === 'team' && me?.team_id) a.href = `#/team?team_id=${encodeURIComponent(me.team_id)}`;
  }
}

async function render() {
  main.dataset.ready = 'false';
  const { page, params } = route();
  const me = identity(mode);
  if (!me) { markNav(page, null); signInPage('Sign in to see your council\'s figures.'); return; }
  if (me.exp && me.exp * 1000 < Date.now()) { session.token = null; markNav(page, null); signInPage('Your sign-in has expired: sign in again.'); return; }
  showWho(me);
  markNav(page, me);
  main.innerHTML = '<p role="status">Loading…</p>';
  const started = performance.now();
  try {
    const pages = { overview, triangulation, 'risk-flags': riskFlags, team };
    await (pages[page] ?? overview)(params, me);
    main.dataset.ms = String(Math.round(performance.now() - started));
    main.dataset.ready = 'true';
  } catch (e) {
    if (!(e instanceof ApiError)) { main.dataset.ready = 'true'; throw e; }
    if (e.status === 401) { session.token = null; signInPage('Your sign-in has expired or was not accepted: sign in again.'); return; }
    if (e.status === 403) { message('Not available to your role', `<p>This page asks for figures your role may not see. ${esc(e.message)}</p>`, 'refused'); return; }
    message('Something is missing', `<p>${esc(e.message)}</p>`, 'refused');
  }
}

// ---- shared pieces -------------------------------------------------------------------------

async function councils() {
  const teams = await get('catalogue/teams');
  // Provenance first, so even a refusal or "not scored" page says which snapshot it speaks of.
  showProvenance([teams]);
  return { teams, codes: [...new Set(teams.rows.map((t) => t.la_code))].sort() };
}

async function years() {
  const periods = await get('catalogue/periods');
  return [...new Set(periods.rows.map((p) => p.financial_year))].sort();
}

function yearMonths(year) {
  const start = Number(year.slice(0, 4));
  return { from: `${start}-04`, to: `${start + 1}-03` };
}

function select(id, label, options, value) {
  return `<label for="${id}">${esc(label)}<select id="${id}">${options.map(([v, t]) => `<option value="${esc(v)}" ${v === value ? 'selected' : ''}>${esc(t)}</option>`).join('')}</select></label>`;
}

function onChange(ids, handler) {
  for (const id of ids) document.getElementById(id)?.addEventListener('change', handler);
}

function gradeChart(rows, label) {
  const grades = [['effective_outstanding', 'Outstanding'], ['effective_good', 'Good'], ['effective_requires_improvement', 'Requires improvement'], ['effective_inadequate', 'Inadequate']];
  const data = rows.flatMap((r) => grades.filter(([k]) => r[k] !== null).map(([k, g]) => ({ period: r.period, grade: g, audits: r[k] })));
  if (!data.some((d) => d.audits > 0)) {
    // Nothing to draw: every count is withheld (1–5) or zero; the table says which.
    const p = document.createElement('p');
    p.textContent = 'Too few audits to chart: the counts are withheld or zero (see the table).';
    return p;
  }
  const chart = Plot.plot({
    height: 240, marginLeft: 50, marginBottom: 40, x: { label: null, tickRotate: rows.length > 8 ? -30 : 0 }, y: { label: 'Audits', grid: true },
    color: { domain: grades.map(([, g]) => g), range: ['#1c6b33', '#5fa36f', '#d9a400', '#a1161f'], legend: true },
    marks: [Plot.barY(data, { x: 'period', y: 'audits', fill: 'grade', order: grades.map(([, g]) => g) }), Plot.ruleY([0])],
  });
  return accessible(chart, label);
}

/** A chart as one image for assistive technology: its label on the outer element, none inside (Plot labels its <g> marks). */
function accessible(chart, label) {
  for (const e of chart.querySelectorAll('[aria-label], [aria-description]')) { e.removeAttribute('aria-label'); e.removeAttribute('aria-description'); }
  chart.setAttribute('role', 'img');
  chart.setAttribute('aria-label', label);
  return chart;
}

function figure(node, caption) {
  const f = document.createElement('figure');
  f.append(node);
  const c = document.createElement('figcaption');
  c.textContent = caption;
  f.append(c);
  return f;
}

function goodOrBetter(r) {
  return r.effective_outstanding === null || r.effective_good === null ? null : r.effective_outstanding + r.effective_good;
}

function prev(r, name) {
  return r.previous_period ? `${pct(r[`previous_${name}`] === null || r[`previous_${name}`] === undefined ? null : 100 * r[`previous_${name}`])} in ${r.previous_period}` : '–';
}

function headlineTables(d, keyPrefix) {
  const k = (t, r, c) => `${keyPrefix}${t}:${r.period}:${c}`;
  return [
    `<h2>Grade mix</h2>`,
    table('Audits by effective grade (moderated grade where moderated); previous period for comparison.', ['Period', 'Audits', 'Outstanding', 'Good', 'Requires improvement', 'Inadequate', 'Good or better', 'Previous period'],
      d.grades.rows.map((r) => [r.period, { text: count(r.audits), key: k('grade_distribution', r, 'audits'), value: r.audits },
        share(r.effective_outstanding, r.audits), share(r.effective_good, r.audits), share(r.effective_requires_improvement, r.audits), share(r.effective_inadequate, r.audits),
        { text: share(goodOrBetter(r), r.audits), key: k('grade_distribution', r, 'effective_good_or_better_share'), value: r.effective_good_or_better_share ?? '' },
        prev(r, 'effective_good_or_better_share')])),
    `<h2>Audit returns</h2>`,
    table('Audit requests sent by the QA service and returned by managers.', ['Period sent', 'Sent', 'Returned', 'By the due date', 'Previous period'],
      d.requests.rows.map((r) => [r.period, { text: count(r.sent), key: k('audit_compliance', r, 'sent'), value: r.sent },
        { text: share(r.returned, r.sent), key: k('audit_compliance', r, 'returned'), value: r.returned ?? '' }, share(r.returned_by_due, r.with_due_date), prev(r, 'return_rate')])),
    `<h2>Inadequate audits followed up within 6 weeks</h2>`,
    table('Re-audit of the same child within 42 days of an Inadequate audit.', ['Period', 'Inadequate audits', 'Within 6 weeks', 'Later', 'Not yet', 'Previous period'],
      d.followUp.rows.map((r) => [r.period, { text: count(r.inadequate_audits), key: k('inadequate_follow_up', r, 'inadequate_audits'), value: r.inadequate_audits ?? '' },
        { text: share(r.reaudited_within_6_weeks, r.inadequate_audits), key: k('inadequate_follow_up', r, 'reaudited_within_6_weeks'), value: r.reaudited_within_6_weeks ?? '' },
        count(r.reaudited_later), count(r.not_reaudited), prev(r, 'reaudited_within_6_weeks_share')])),
    `<h2>Moderation agreement</h2>`,
    table('Agreement is over moderated audits: the moderator kept the grade.', ['Period', 'Moderated', 'Agreed', 'Upgraded', 'Downgraded', 'Previous period'],
      d.moderation.rows.map((r) => [r.period, share(r.moderated, r.audits),
        { text: share(r.agreed, r.moderated), key: k('moderation', r, 'agreed'), value: r.agreed ?? '' }, count(r.upgrades), count(r.downgrades), prev(r, 'agreement_rate')])),
    `<h2>Complaints timeliness</h2>`,
    table('Stage 1 responses within 10 working days (bank holidays excluded), stage 2 within its statutory days.', ['Period received', 'Complaints', 'Stage 1 on time', 'Stage 2 on time', 'Previous period (stage 1)'],
      d.complaints.rows.map((r) => [r.period, { text: count(r.complaints), key: k('complaints', r, 'complaints'), value: r.complaints ?? '' },
        { text: share(r.stage_1_on_time, r.stage_1_responded), key: k('complaints', r, 'stage_1_on_time'), value: r.stage_1_on_time ?? '' },
        share(r.stage_2_on_time, r.stage_2_responded), prev(r, 'stage_1_on_time_rate')])),
    `<h2>KPIs against target</h2>`,
    table('The latest period of each KPI, with its target and RAG status (rates from summed counts).', ['KPI', 'Period', 'Value', 'Target', 'RAG', 'Previous period'],
      latestPerKpi(d.kpis.rows).map((r) => [r.kpi_name ?? r.kpi_code, r.period,
        { text: r.unit === 'rate' ? (r.numerator === null ? WITHHELD : share(r.numerator, r.denominator)) : num(r.value, 1), key: `${keyPrefix}kpi_trend:${r.period}:${r.kpi_code}:value`, value: r.value ?? '' },
        num(r.target, 0), { text: r.rag ?? '–', cls: r.rag ? `rag-${r.rag}` : '' },
        r.previous_period ? `${num(r.previous_value, 1)} in ${r.previous_period}` : '–'])),
  ].join('\n');
}

function latestPerKpi(rows) {
  const latest = new Map();
  for (const r of rows) if (!latest.has(r.kpi_code) || latest.get(r.kpi_code).period < r.period) latest.set(r.kpi_code, r);
  return [...latest.values()].sort((a, b) => String(a.kpi_code).localeCompare(String(b.kpi_code)));
}

async function headlines(params) {
  const [grades, requests, followUp, moderation, complaints, kpis] = await Promise.all([
    get('grade-distribution', params), get('audit-compliance', params), get('inadequate-follow-up', params),
    get('moderation', params), get('complaints', params), get('kpi-trend', params),
  ]);
  return { grades, requests, followUp, moderation, complaints, kpis };
}

// ---- pages ---------------------------------------------------------------------------------

async function overview(params, me) {
  const [{ codes }, allYears] = await Promise.all([councils(), years()]);
  const la = params.get('la_code') || me.la_code || codes[0];
  const grain = GRAINS[params.get('grain')] ? params.get('grain') : 'quarter';
  const year = params.get('year') || allYears.at(-1);
  const period = grain === 'rolling12' ? { from: yearMonths(year).to, to: yearMonths(year).to } : yearMonths(year);
  const q = { la_code: la, group_by: 'council', grain, ...period };
  const d = await headlines(q);
  showProvenance(Object.values(d));
  main.innerHTML = `<h1>Council overview: ${esc(la)}</h1>
    <form class="controls" aria-label="Choose what to show">
      ${select('ov-la', 'Council', codes.map((c) => [c, c]), la)}
      ${select('ov-year', 'Financial year', allYears.map((y) => [y, y]), year)}
      ${select('ov-grain', 'Periods', Object.entries(GRAINS), grain)}
      <p><button type="button" id="evidence-pack">Evidence pack (PDF)</button></p>
    </form>
    <div id="ov-chart"></div>
    ${headlineTables(d, '')}`;
  document.getElementById('ov-chart').append(figure(gradeChart(d.grades.rows, `Grade mix of council ${la} by period`), 'Audits by effective grade, stacked; the table below gives the counts.'));
  onChange(['ov-la', 'ov-year', 'ov-grain'], () => go('overview', { la_code: document.getElementById('ov-la').value, year: document.getElementById('ov-year').value, grain: document.getElementById('ov-grain').value }));
  document.getElementById('evidence-pack').addEventListener('click', () => evidencePack(la, year));
}

async function evidencePack(la, year) {
  const headers = {};
  if (session.token) headers.Authorization = `Bearer ${session.token}`;
  const response = await fetch(`/dashboard/evidence-pack?la_code=${encodeURIComponent(la)}&year=${encodeURIComponent(year)}&format=pdf`, { headers });
  if (!response.ok) { alert(`The evidence pack could not be made: ${(await response.text()).slice(0, 300)}`); return; }
  const url = URL.createObjectURL(await response.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = `evidence-pack-${la}-${year.replace('/', '-')}.pdf`;
  a.click();
  URL.revokeObjectURL(url);
}

async function triangulation(params, me) {
  const [{ codes }, allYears] = await Promise.all([councils(), years()]);
  const la = params.get('la_code') || me.la_code || codes[0];
  const year = params.get('year') || allYears.at(-1);
  const q = { la_code: la, group_by: 'team', grain: 'year', ...yearMonths(year) };
  const [tri, corr] = await Promise.all([get('triangulation', q), get('theme-correlation', q)]);
  showProvenance([tri, corr]);
  const themes = [...new Set(tri.rows.map((r) => r.theme))].sort();
  main.innerHTML = `<h1>Triangulation: ${esc(la)}, ${esc(year)}</h1>
    <p>Is practice that looks compliant actually good? Each dot is a team: its compliance KPI rate for the theme against its share of theme grades Good or better.
    <strong class="cng">Compliant but not good</strong> teams are drawn as red diamonds.</p>
    <form class="controls" aria-label="Choose what to show">${select('tr-la', 'Council', codes.map((c) => [c, c]), la)}${select('tr-year', 'Financial year', allYears.map((y) => [y, y]), year)}</form>
    <div class="grid" id="tr-charts"></div>
    <h2>Rank correlation by theme</h2>
    ${table('Spearman rank correlation across teams of KPI rate with share Good or better, with the number of teams.', ['Theme', 'Rank correlation', 'Teams (n)'],
      corr.rows.map((r) => [r.theme, { text: num(r.spearman_rho), key: `theme_correlation:${r.theme}:spearman_rho`, value: r.spearman_rho ?? '' }, { text: count(r.units), key: `theme_correlation:${r.theme}:units`, value: r.units }]))}
    <h2>Compliant but not good</h2>
    ${table('Teams whose KPI rate meets the target while few theme grades are Good or better.', ['Team', 'Theme', 'KPI rate', 'Good or better'],
      tri.rows.filter((r) => r.divergence === 'compliant_not_good').map((r) => [`${r.team_name} (${r.team_id})`, r.theme,
        { text: share(r.kpi_numerator, r.kpi_denominator), key: `triangulation:${r.team_id}:${r.theme}:kpi_numerator`, value: r.kpi_numerator ?? '' },
        { text: share(r.good_or_better, r.audits), key: `triangulation:${r.team_id}:${r.theme}:good_or_better`, value: r.good_or_better ?? '' }]))}`;
  const charts = document.getElementById('tr-charts');
  for (const theme of themes) {
    const rows = tri.rows.filter((r) => r.theme === theme && r.kpi_rate !== null && r.share_good_or_better !== null)
      .map((r) => ({ ...r, cng: r.divergence === 'compliant_not_good', share: 100 * r.share_good_or_better }));
    const c = corr.rows.find((r) => r.theme === theme);
    if (rows.length === 0) {
      const p = document.createElement('p');
      p.textContent = `${theme}: no compliance KPI is paired with this theme (or every figure is withheld), so there is nothing to plot; n = ${c?.units ?? 0}.`;
      charts.append(p);
      continue;
    }
    const chart = Plot.plot({
      height: 260, width: 360, marginLeft: 48, grid: true,
      x: { label: 'KPI rate (%)', domain: [0, 100] }, y: { label: 'Good or better (%)', domain: [0, 100] },
      marks: [
        Plot.ruleX([rows[0]?.target ?? 0], { stroke: '#888', strokeDasharray: '4,3' }), Plot.ruleY([30], { stroke: '#888', strokeDasharray: '4,3' }),
        Plot.dot(rows.filter((r) => !r.cng), { x: 'kpi_rate', y: 'share', fill: '#1d4f91', r: 4, title: (r) => `${r.team_name}: KPI ${pct(r.kpi_rate)}, Good or better ${pct(r.share)}` }),
        Plot.dot(rows.filter((r) => r.cng), { x: 'kpi_rate', y: 'share', fill: '#a1161f', symbol: 'diamond', r: 6, title: (r) => `${r.team_name}: compliant but not good` }),
      ],
    });
    accessible(chart, `${theme}: KPI rate against share Good or better per team`);
    charts.append(figure(chart, `${theme} (${rows[0]?.kpi_code ?? 'no KPI'}): rank correlation ${num(c?.spearman_rho)} over n = ${c?.units ?? 0} teams; ${rows.filter((r) => r.cng).length} compliant but not good.`));
  }
  onChange(['tr-la', 'tr-year'], () => go('triangulation', { la_code: document.getElementById('tr-la').value, year: document.getElementById('tr-year').value }));
}

async function modelVerdict(scored) {
  return scored ? (await get('catalogue/risk-model')).rows[0] ?? null : null;
}

function verdictBanner(model) {
  if (!model) return '';
  return `<div class="banner" role="note" data-testid="verdict"><strong>The model's verdict:</strong> ${esc(model.verdict)}
    <br>Model ${esc(model.model_version)}, trained on ${esc(model.training_rows)} team-quarters; backtest ROC-AUC ${num(model.model_roc_auc)} against the baseline's ${num(model.baseline_roc_auc)}, PR-AUC ${num(model.model_pr_auc)} against ${num(model.baseline_pr_auc)}.
    <br><strong>Limits:</strong> team level only, from audit, KPI and complaints data; a flag is a prompt for a conversation with the team, never a decision about a team, a worker or a child.</div>`;
}

function notScored() {
  message('The model has not scored this snapshot',
    '<p>There are no risk flags for the data being served. To publish them, run:</p><p><code>qa-ingest model train</code> then <code>qa-ingest model score</code></p>');
}

function list(items) {
  return `<ul>${items.filter(Boolean).map((x) => `<li>${esc(x)}</li>`).join('')}</ul>`;
}

// The reasons split as the model gives them: what the pressure, compliance and complaints signals say,
// kept apart from what the grade history says (a return to usual is not a pressure).
function drivers(r) {
  const part = (title, text) => (text ? `<p><strong>${title}:</strong></p>${list(text.split('; '))}` : '');
  return part('Pressure, compliance and complaints', r.drivers_pressure) + part('Grade history', r.drivers_history);
}

function flagCards(rows) {
  return rows.map((r) => `<article class="flag ${esc(r.band)}" data-key="risk_flags:${esc(r.team_id)}:${esc(r.period)}:probability" data-value="${r.probability}">
    <h3>${esc(r.team_name)} (${esc(r.team_id)}), ${esc(r.period)}: ${pct(100 * r.probability)} chance of declining quality over the next two quarters, <span data-key="risk_flags:${esc(r.team_id)}:${esc(r.period)}:band" data-value="${esc(r.band)}">${esc(r.band)}</span> band</h3>
    ${r.drivers_pressure || r.drivers_history ? drivers(r) : `<p><strong>Reasons:</strong></p>${list([r.reason_1, r.reason_2, r.reason_3])}`}
    <p>Audits in the quarter: <span data-key="risk_flags:${esc(r.team_id)}:${esc(r.period)}:audits" data-value="${r.audits ?? ''}">${count(r.audits)}</span>${r.in_training_window ? '; this quarter was in the training window, so it looks better than it is' : ''}.</p>
    <p><strong>A prompt for a conversation, not a decision:</strong> ask the team manager what is behind these changes and what would help.</p>
  </article>`).join('\n');
}

async function riskFlags(params, me) {
  const { scored } = await status();
  if (!scored) { await councils(); notScored(); return; }
  const [model, { codes }] = await Promise.all([modelVerdict(scored), councils()]);
  const la = params.get('la_code') || me.la_code || codes[0];
  const q = { la_code: la, team_id: me.role === 'team_manager' ? me.team_id : undefined, bands: ['high', 'watch'] };
  let flags;
  try {
    flags = await get('risk-flags', q);
  } catch (e) {
    if (e instanceof ApiError && e.status === 404 && /model score/.test(e.message)) { notScored(); return; }
    throw e;
  }
  showProvenance([flags]);
  const latest = flags.rows.map((r) => r.period).sort().at(-1);
  const shown = flags.rows.filter((r) => r.period === latest).sort((a, b) => b.probability - a.probability);
  main.innerHTML = `<h1>Risk flags: ${esc(la)}, ${esc(latest ?? 'no scored quarter')}</h1>
    ${verdictBanner(model)}
    <form class="controls" aria-label="Choose what to show">${select('rf-la', 'Council', codes.map((c) => [c, c]), la)}</form>
    <p>${shown.length} team(s) in the high or watch band in the latest scored quarter, most likely first.</p>
    ${flagCards(shown)}`;
  onChange(['rf-la'], () => go('risk-flags', { la_code: document.getElementById('rf-la').value }));
}

async function team(params, me) {
  const [{ teams }, allYears, { scored }] = await Promise.all([councils(), years(), status()]);
  const id = params.get('team_id') || me.team_id || teams.rows[0]?.team_id;
  const known = teams.rows.find((t) => t.team_id === id);
  if (!known) {
    // The catalogue lists only the teams the caller may see: another team is not theirs to open.
    message('Not available to your role', `<p>Team ${esc(id ?? '')} is not among the teams your role may see.</p>`, 'refused');
    return;
  }
  const year = params.get('year') || allYears.at(-1);
  const q = { team_id: id, group_by: 'team', grain: 'quarter', ...yearMonths(year) };
  const [d, tri, flags, model] = await Promise.all([
    headlines(q), get('triangulation', { team_id: id, group_by: 'team', grain: 'year', ...yearMonths(year) }),
    scored ? get('risk-flags', { team_id: id }) : null, modelVerdict(scored),
  ]);
  showProvenance([...Object.values(d), tri]);
  main.innerHTML = `<h1>Team: ${esc(known.team_name)} (${esc(id)})</h1>
    <p>${esc(known.service_area)}, council ${esc(known.la_code)}.</p>
    <form class="controls" aria-label="Choose what to show">${select('tm-team', 'Team', teams.rows.map((t) => [t.team_id, `${t.team_name} (${t.team_id})`]), id)}${select('tm-year', 'Financial year', allYears.map((y) => [y, y]), year)}</form>
    <div id="tm-chart"></div>
    ${headlineTables(d, '')}
    <h2>Triangulation by theme</h2>
    ${table('The team\'s KPI rate per theme against its share of theme grades Good or better, for the year.', ['Theme', 'KPI rate', 'Good or better', 'Finding'],
      tri.rows.map((r) => [r.theme, share(r.kpi_numerator, r.kpi_denominator), share(r.good_or_better, r.audits), r.divergence === 'compliant_not_good' ? { text: 'compliant but not good', cls: 'cng' } : (r.divergence ?? '–')]))}
    <h2>Risk flags, every scored quarter</h2>
    ${flags ? verdictBanner(model) + table('Probability of declining practice quality over the next two quarters; a prompt for a conversation, never a decision.', ['Quarter', 'Probability', 'Band', 'Reasons'],
      [...flags.rows].sort((a, b) => String(b.period).localeCompare(String(a.period))).map((r) => [r.period,
        { text: pct(100 * r.probability), key: `risk_flags:${r.team_id}:${r.period}:probability`, value: r.probability }, r.band, [r.reason_1, r.reason_2, r.reason_3].filter(Boolean).join('; ')]))
      : '<p>The model has not scored this snapshot: run <code>qa-ingest model train</code> then <code>qa-ingest model score</code>.</p>'}`;
  document.getElementById('tm-chart').append(figure(gradeChart(d.grades.rows, `Grade mix of team ${id} by quarter`), 'Audits by effective grade, stacked, per financial quarter.'));
  onChange(['tm-team', 'tm-year'], () => go('team', { team_id: document.getElementById('tm-team').value, year: document.getElementById('tm-year').value }));
}

window.addEventListener('hashchange', render);
config().then((c) => { mode = c.mode; render(); });
