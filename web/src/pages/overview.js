// Organisation and team overview: ND with its trend, each team's ND rate and ND index against its
// own baseline, the DORA five, cost per ND, AI-assisted share, orphan-token share. Teams come in
// directory order; nothing is ranked.
import { get } from '../api.js';
import { chart } from '../charts.js';
import { explain } from '../definitions.js';
import { day, esc, num, text } from '../format.js';
import { card, doraCards, notes, reportHeader } from './common.js';

const DAY = 86400000;
const TREND_WINDOWS = 6;

// The period and the five windows of the same length before it, oldest first.
function windows(p) {
  const from = Date.parse(`${p.from}T00:00:00Z`);
  const to = Date.parse(`${p.to}T00:00:00Z`) + DAY;
  const length = to - from;
  const out = [];
  for (let i = TREND_WINDOWS - 1; i >= 0; i--) {
    const f = new Date(from - i * length);
    const t = new Date(to - i * length - DAY);
    out.push({ from: f.toISOString().slice(0, 10), to: t.toISOString().slice(0, 10) });
  }
  return out;
}

export async function renderOverview(ctx) {
  const { el, period } = ctx;
  const report = await get('/api/v1/report', period);
  if (!ctx.current()) return;
  const org = report.org || {};
  const teams = report.teams || [];
  const orgHidden = org.suppressed;
  const teamLink = (id) => ctx.link(`/team/${encodeURIComponent(id)}`);

  const teamRows = teams
    .map((t) =>
      t.suppressed
        ? `<tr data-team="${esc(t.team)}" class="suppressed"><td>${esc(t.name || t.team)}</td><td>${esc(t.members)}</td>
            <td colspan="8">suppressed: ${esc(t.suppressed_reason)}</td></tr>`
        : `<tr data-team="${esc(t.team)}">
            <td><a href="${esc(teamLink(t.team))}">${esc(t.name || t.team)}</a></td><td>${esc(t.members)}</td>
            <td>${num(t.contributors, 'int')}</td>
            <td>${num(t.nd, 'nd', teamLink(t.team))}</td><td>${num(t.nd_rate, 'nd')}</td>
            <td>${num(t.nd_index, 'index')} <span class="ci">${t.nd_index_ci ? `[${text(t.nd_index_ci[0], 'index')} – ${text(t.nd_index_ci[1], 'index')}]` : ''}</span></td>
            <td>${num(t.cost_per_nd, 'usd')}</td><td>${num(t.ai_assisted_nd_share, 'share')}</td>
            <td>${num(t.review_coverage, 'share')}</td><td>${num(t.dora?.deployment_days_per_week, 'nd')}</td>
          </tr>`,
    )
    .join('');

  el.innerHTML = `<h1>Organisation</h1>
    ${reportHeader(report)}
    ${
      orgHidden
        ? `<div class="error" role="status">The organisation total is suppressed: ${esc(org.suppressed_reason)}.</div>`
        : `<div class="cards">
      ${card('org.nd', 'ND', org.nd, 'nd', explain.nd, '#!teams', `<span class="sub"> final ${text(org.nd_final)} · provisional ${text(org.nd_provisional)} · pending ${text(org.nd_pending)}</span>`)}
      ${card('org.changes', 'Logical changes', org.changes, 'int', explain.changes, '#!teams')}
      ${card('org.cost_per_nd', 'Cost per ND', org.cost_per_nd, 'usd', `${explain.cost_per_nd} Basis: ${org.cost_per_nd_basis}.`, ctx.link('/costs'))}
      ${card('org.cost_usd', 'AI spend', org.cost_usd, 'usd', explain.cost_usd, ctx.link('/costs'))}
      ${card('org.ai_assisted_nd_share', 'AI-assisted share of ND', org.ai_assisted_nd_share, 'share', explain.ai_share)}
      ${card('org.orphan_token_share', 'Orphan-token share', org.orphan_token_share, 'share', explain.orphan_token_share, ctx.link('/costs'))}
      ${card('org.review_coverage', 'Review coverage', org.review_coverage, 'share', explain.review_coverage)}
    </div>
    <h2>DORA</h2>
    ${doraCards(org.dora, '#!teams')}`
    }
    <h2>Trend</h2>
    <p class="help">ND of the organisation and ND rate of each team over this period and the ${TREND_WINDOWS - 1} before it (same length). ${esc(explain.nd_rate)}</p>
    <div class="charts">
      <div class="chart" id="chart-org-nd-trend" role="img" aria-label="organisation ND per period"></div>
      <div class="chart" id="chart-team-rate-trend" role="img" aria-label="team ND rate per period"></div>
    </div>
    <h2 id="teams">Teams</h2>
    <p class="help">${esc(explain.nd_index)} Teams are listed in directory order; goodhart never ranks teams or people.</p>
    <table class="teams"><thead><tr><th>team</th><th>members</th><th>contributors</th><th>ND</th><th>ND rate</th>
      <th>ND index [90% interval]</th><th>cost per ND</th><th>AI-assisted share</th><th>review coverage</th><th>deploy days/week</th></tr></thead>
      <tbody>${teamRows}</tbody></table>
    <div class="charts">
      <div class="chart" id="chart-team-nd" role="img" aria-label="ND per team"></div>
      <div class="chart" id="chart-team-index" role="img" aria-label="ND index per team"></div>
    </div>
    ${notes(report.notes)}`;

  const shown = teams.filter((t) => !t.suppressed);
  chart(document.getElementById('chart-team-nd'), {
    categories: shown.map((t) => t.name || t.team),
    series: [{ name: 'ND', values: shown.map((t) => t.nd) }],
  });
  chart(document.getElementById('chart-team-index'), {
    categories: shown.map((t) => t.name || t.team),
    series: [{ name: 'ND index', values: shown.map((t) => t.nd_index) }],
    kind: 'index',
    baseline: 1,
  });

  // The trend: one report per window (the last one is the report above).
  const ws = windows(period);
  const reports = await Promise.all(ws.slice(0, -1).map((w) => get('/api/v1/report', w)));
  if (!ctx.current()) return;
  reports.push(report);
  const labels = ws.map((w) => `${day(w.from).slice(5)}–${day(w.to).slice(5)}`);
  chart(document.getElementById('chart-org-nd-trend'), {
    categories: labels,
    series: [{ name: 'organisation ND', values: reports.map((r) => (r.org && !r.org.suppressed ? r.org.nd : null)) }],
  });
  chart(document.getElementById('chart-team-rate-trend'), {
    categories: labels,
    line: true,
    series: shown.map((t) => ({
      name: `${t.name || t.team} ND rate`,
      values: reports.map((r) => {
        const row = (r.teams || []).find((x) => x.team === t.team);
        return row && !row.suppressed ? row.nd_rate : null;
      }),
    })),
  });
}
