// The Goodhart table (metrics.md §6, docs/simulate.md): a synthetic organisation with honest and
// gaming engineers run through the real ND engine and detectors. Each cell is the gamer's median
// rank uplift in percentile points [90th percentile]: > 0 means the strategy moves the metric
// without adding value. Tokens move with tokenmaxxing; ND* does not.
import { get } from '../api.js';
import { chart } from '../charts.js';
import { esc, num, text } from '../format.js';

const METRICS = ['tokens', 'prs', 'lines', 'deploys', 'deploy_days', 'nd', 'nd_pr', 'nd_sqrt', 'nd_star'];
const CHART_METRICS = ['tokens', 'prs', 'deploys', 'nd', 'nd_star'];

function cell(u) {
  if (!u) return '<td>—</td>';
  const bad = u.median > 2;
  return `<td class="${bad ? 'gamed' : 'robust'}">${num(u.median, 'int')} <span class="p90">[${esc(text(u.p90, 'int'))}]</span></td>`;
}

export async function renderGoodhart(ctx) {
  const { el } = ctx;
  const table = await get('/api/v1/goodhart-table');
  if (!ctx.current()) return;
  const seeds = table.seeds || [];
  const sections = seeds
    .map((s) => {
      const rows = s.strategies
        .map(
          (st) => `<tr data-strategy="${esc(st.id)}"><td>${esc(st.id)} ${esc(st.strategy)}</td>
            ${METRICS.map((m) => cell(st.uplift[m])).join('')}
            <td>${num(st.detected, 'share')}</td><td>${Object.entries(st.detected_by || {}).map(([d, r]) => `${esc(d)} ${esc(text(r, 'share'))}`).join(', ')}</td></tr>`,
        )
        .join('');
      return `<section class="seed" data-seed="${esc(s.seed)}"><h2>Seed ${esc(s.seed)} (${esc(s.runs)} runs)</h2>
        <table class="goodhart"><thead><tr><th>strategy</th>${METRICS.map((m) => `<th>${esc(m)}</th>`).join('')}<th>detected</th><th>by detector</th></tr></thead>
        <tbody>${rows}</tbody></table></section>`;
    })
    .join('');
  const criteria = (table.criteria || [])
    .map((c) => `<li data-criterion="${esc(c.id)}" class="${c.pass ? 'pass' : 'fail'}"><strong>${esc(c.id)} ${c.pass ? 'pass' : 'FAIL'}</strong>: ${esc(c.name)}
        ${c.details?.length ? `<ul>${c.details.map((d) => `<li>${esc(d)}</li>`).join('')}</ul>` : ''}</li>`)
    .join('');
  el.innerHTML = `<h1>The Goodhart table</h1>
    <p class="help">Why tokens are not the metric. A synthetic organisation of ${esc(table.org?.teams)} teams × ${esc(table.org?.engineers_per_team)}
      engineers; one engineer games each strategy while everyone else works honestly, measured by the production ND engine and detectors.
      Each cell is the gamer's median rank uplift in percentile points [90th percentile]: above 0 the strategy buys rank without value.
      Tokens reward tokenmaxxing outright; ND* (ND after reviewed flags) should stay at or below 0.</p>
    <p class="stamp"><code>${esc(table.command)}</code> · overall <strong>${table.pass ? 'PASS' : 'FAIL'}</strong></p>
    <div class="chart wide" id="chart-goodhart" role="img" aria-label="median rank uplift per strategy"></div>
    ${sections}
    <h2>Pass criteria (metrics.md §6.6)</h2><ul class="criteria">${criteria}</ul>`;
  const first = seeds[0];
  if (first) {
    chart(document.getElementById('chart-goodhart'), {
      categories: first.strategies.map((s) => s.strategy),
      kind: 'int',
      series: CHART_METRICS.map((m) => ({ name: m, values: first.strategies.map((s) => s.uplift[m]?.median ?? null) })),
    });
  }
}
