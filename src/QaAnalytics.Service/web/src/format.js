// How the dashboard writes figures: a share always with its counts ("12 of 40, 30%"), a withheld
// count as "withheld" (the service withholds counts of 1–5 and any that would reveal one).
export const WITHHELD = 'withheld';

const int = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 0 });

export function count(v) { return v === null || v === undefined ? WITHHELD : int.format(v); }

export function pct(v) {
  if (v === null || v === undefined || Number.isNaN(v)) return WITHHELD;
  return `${Math.abs(v) < 10 && v !== Math.round(v) ? v.toFixed(1) : v.toFixed(0)}%`;
}

export function share(part, whole) {
  if (part === null || part === undefined || whole === null || whole === undefined) return WITHHELD;
  return whole === 0 ? '0 of 0' : `${int.format(part)} of ${int.format(whole)}, ${pct((100 * part) / whole)}`;
}

export function num(v, digits = 2) { return v === null || v === undefined || Number.isNaN(v) ? '–' : v.toFixed(digits); }

export function esc(text) {
  return String(text ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
}

/** A table; each cell is text, or { text, value, key, cls } where key/value let a test compare it with the service's figure. */
export function table(caption, headings, rows) {
  const head = headings.map((h) => `<th scope="col">${esc(h)}</th>`).join('');
  const body = rows.length === 0
    ? `<tr><td colspan="${headings.length}">No data for this selection.</td></tr>`
    : rows.map((cells) => `<tr>${cells.map((c, i) => cell(c, i)).join('')}</tr>`).join('\n');
  return `<table><caption class="notes">${esc(caption)}</caption><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`;
}

function cell(c, i) {
  const o = typeof c === 'object' && c !== null ? c : { text: c };
  const withheld = o.text === WITHHELD ? ' withheld' : '';
  const attrs = o.key ? ` data-key="${esc(o.key)}" data-value="${esc(o.value ?? '')}"` : '';
  if (i === 0) return `<th scope="row"${attrs}>${esc(o.text)}</th>`;
  // Figures right-aligned on one line; longer text (reasons) wraps, left-aligned.
  const kind = String(o.text ?? '').length > 24 ? 't' : 'n';
  return `<td class="${kind}${withheld}${o.cls ? ` ${o.cls}` : ''}"${attrs}>${esc(o.text)}</td>`;
}
