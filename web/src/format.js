// Number formatting and HTML escaping. Every number the dashboard shows goes through num(), which
// keeps the exact API value in data-value beside the rounded text.
export function esc(value) {
  return String(value ?? '')
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

const formats = {
  nd: { digits: 2 },
  index: { digits: 2 },
  usd: { digits: 2, prefix: '$' },
  share: { digits: 1, percent: true },
  hours: { digits: 1, suffix: ' h' },
  int: { digits: 0 },
  z: { digits: 2 },
};

// "1,234.57", "$12.00", "45.0%"; "—" for null (not computable: no data, or suppressed).
export function text(value, kind = 'nd') {
  if (value === null || value === undefined || Number.isNaN(value)) return '—';
  const f = formats[kind] || formats.nd;
  const v = f.percent ? value * 100 : value;
  const s = v.toLocaleString('en-US', {
    minimumFractionDigits: f.digits,
    maximumFractionDigits: f.digits,
  });
  return `${f.prefix || ''}${s}${f.percent ? '%' : ''}${f.suffix || ''}`;
}

// <span class="num" data-value="0.5">0.50</span>, optionally a link to the number's evidence.
export function num(value, kind = 'nd', href = '') {
  const raw = value === null || value === undefined ? '' : String(value);
  const inner = `<span class="num" data-value="${esc(raw)}">${esc(text(value, kind))}</span>`;
  return href ? `<a class="evidence" href="${esc(href)}">${inner}</a>` : inner;
}

export function date(value) {
  if (!value) return '—';
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? String(value) : d.toISOString().slice(0, 16).replace('T', ' ');
}

export function day(value) {
  return value ? String(value).slice(0, 10) : '—';
}

// A flag's four-week period [from, to) as "2026-06-01 – 2026-06-28" (the last day included).
export function periodDays(p) {
  if (!p || p.from_unix_ms === undefined) return '—';
  const last = new Date(p.to_unix_ms - 86400000).toISOString().slice(0, 10);
  return `${new Date(p.from_unix_ms).toISOString().slice(0, 10)} – ${last}`;
}
