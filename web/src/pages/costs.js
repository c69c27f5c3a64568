// The cost view: AI spend by tool, model and team, provider-reported vs computed from the price
// table, and the waste behind flags about cost.
import { get } from '../api.js';
import { chart } from '../charts.js';
import { explain } from '../definitions.js';
import { esc, num } from '../format.js';
import { card, notes } from './common.js';

function costTable(rows, keys, id) {
  const body = rows
    .map(
      (r) => `<tr data-row="${esc(keys.map((k) => r[k]).join('/'))}">${keys.map((k) => `<td>${esc(r[k] || '—')}</td>`).join('')}
        <td>${num(r.cost_usd, 'usd')}</td><td>${num(r.reported_cost_usd, 'usd')}</td><td>${num(r.computed_cost_usd, 'usd')}</td>
        <td>${num(r.price_table_cost_usd, 'usd')}</td><td>${num(r.tokens, 'int')}</td><td>${num(r.people, 'int')}</td></tr>`,
    )
    .join('');
  return `<table id="${esc(id)}" class="costs"><thead><tr>${keys.map((k) => `<th>${esc(k)}</th>`).join('')}
      <th>cost</th><th>provider-reported</th><th>computed (no report)</th><th>price table, all rows</th><th>tokens</th><th>people</th></tr></thead>
      <tbody>${body || `<tr><td colspan="${keys.length + 6}">No AI usage in the period.</td></tr>`}</tbody></table>`;
}

const label = (r, keys) => keys.map((k) => r[k] || '(none)').join(' / ');

function stacked(el, rows, keys) {
  chart(el, {
    categories: rows.map((r) => label(r, keys)),
    kind: 'usd',
    stack: 'cost',
    series: [
      { name: 'provider-reported', values: rows.map((r) => r.reported_cost_usd) },
      { name: 'computed', values: rows.map((r) => r.computed_cost_usd) },
    ],
  });
}

export async function renderCosts(ctx) {
  const { el, period } = ctx;
  const costs = await get('/api/v1/costs', period);
  if (!ctx.current()) return;
  if (costs.suppressed) {
    el.innerHTML = `<h1>Costs</h1><div class="error" role="status">Suppressed for your role: ${esc(costs.suppressed_reason)}.</div>`;
    return;
  }
  const t = costs.total;
  const waste = costs.waste;
  const wasteRows = waste.by_detector
    .map(
      (w) => `<tr data-detector="${esc(w.detector)}"><td>${esc(w.detector)}</td><td>${num(w.flags, 'int')}</td><td>${num(w.cost_usd, 'usd')}</td>
        <td>${w.flag_ids.map((id) => `<a href="${esc(ctx.link(`/flags/${id}`))}">${esc(id.slice(0, 10))}</a>`).join(' ')}</td></tr>`,
    )
    .join('');
  el.innerHTML = `<h1>Costs</h1>
    <p class="stamp">Period ${esc(costs.period.from.slice(0, 10))} to ${esc(costs.period.to.slice(0, 10))} (exclusive) · as of ${esc(costs.as_of.slice(0, 16))}</p>
    <div class="cards">
      ${card('costs.total', 'AI spend', t.cost_usd, 'usd', explain.cost_usd, '#!by-tool')}
      ${card('costs.reported', 'Provider-reported', t.reported_cost_usd, 'usd', 'Cost the provider reported (usage reports, OTLP cost attributes).', '#!by-model')}
      ${card('costs.computed', 'Computed', t.computed_cost_usd, 'usd', 'Cost computed from the versioned price table where the provider reported none.', '#!by-model')}
      ${card('costs.price_table', 'Price table, all usage', t.price_table_cost_usd, 'usd', "What the price table says all of the period's usage costs: compare it with the provider's bill.", '#!by-model')}
      ${card('costs.tokens', 'Tokens', t.tokens, 'int', explain.tokens, '#!by-tool')}
      ${card('costs.waste', 'Waste from flagged activity', waste.cost_usd, 'usd', explain.waste, '#!waste')}
    </div>
    <h2 id="by-tool">By tool</h2>
    <div class="chart" id="chart-cost-tool" role="img" aria-label="cost by tool"></div>
    ${costTable(costs.by_tool, ['tool'], 'table-tool')}
    <h2 id="by-model">By model</h2>
    <div class="chart" id="chart-cost-model" role="img" aria-label="cost by model"></div>
    ${costTable(costs.by_model, ['provider', 'model'], 'table-model')}
    <h2 id="by-team">By team</h2>
    <div class="chart" id="chart-cost-team" role="img" aria-label="cost by team"></div>
    ${costTable(costs.by_team, ['team', 'name'], 'table-team')}
    <h2 id="waste">Waste from flagged activity</h2>
    <p class="help">${esc(explain.waste)} Only flags you may see are counted.</p>
    ${wasteRows ? `<table class="waste"><thead><tr><th>detector</th><th>flags</th><th>cost</th><th>flags</th></tr></thead><tbody>${wasteRows}</tbody></table>` : '<p class="empty">No cost flags in the period.</p>'}
    ${notes(costs.notes)}`;
  stacked(document.getElementById('chart-cost-tool'), costs.by_tool, ['tool']);
  stacked(document.getElementById('chart-cost-model'), costs.by_model, ['model']);
  stacked(document.getElementById('chart-cost-team'), costs.by_team, ['name']);
}
