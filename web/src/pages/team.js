// Team drill-down: the team's numbers from the report, then the evidence under them (the delivery
// route): services, deployments with their verdicts, and logical changes with their credit broken
// down. Every number links to what it is made of.
import { get } from '../api.js';
import { chart } from '../charts.js';
import { explain } from '../definitions.js';
import { esc, num, text } from '../format.js';
import { card, changeDetail, changesTable, deploymentsTable, doraCards, notes, reportHeader } from './common.js';

export async function renderTeam(ctx, teamId, changeId) {
  const { el, period } = ctx;
  const [report, delivery] = await Promise.all([
    get('/api/v1/report', { ...period, team: teamId }),
    get(`/api/v1/teams/${encodeURIComponent(teamId)}/delivery`, period),
  ]);
  if (!ctx.current()) return;
  const team = (report.teams || [])[0];
  if (!team || team.suppressed || delivery.suppressed) {
    el.innerHTML = `<h1>Team ${esc(team?.name || teamId)}</h1>${reportHeader(report)}
      <div class="error suppressed" role="status" data-suppressed="true">This team's numbers are suppressed for your role:
      ${esc(team?.suppressed_reason || delivery.suppressed_reason || 'not in the report')}.</div>`;
    return;
  }
  const base = `/team/${encodeURIComponent(teamId)}`;
  const changeLink = (id) => ctx.link(`${base}/change/${encodeURIComponent(id)}`);
  const personLink = ctx.who.role === 'admin' ? (id) => ctx.link(`/person/${encodeURIComponent(id)}`) : () => '';

  if (changeId) {
    const c = delivery.changes.find((x) => x.id === changeId);
    if (!c) throw new Error(`dashboard: change ${changeId} is not among ${teamId}'s changes of the period`);
    el.innerHTML = `<p><a href="${esc(ctx.link(base))}">← ${esc(team.name || teamId)}</a></p>
      ${reportHeader(report)}${changeDetail(c, personLink)}
      <div class="chart" id="chart-change-factors" role="img" aria-label="credit factors"></div>`;
    chart(document.getElementById('chart-change-factors'), {
      categories: ['g', 'R', 'F', 'D', 'ND'],
      series: [{ name: 'factor', values: [c.credit.g, c.review.value, c.failure.value, c.d, c.nd] }],
    });
    return;
  }

  const services = delivery.services
    .map(
      (s) => `<tr data-service="${esc(s.service)}"><td>${esc(s.service)}</td><td>${esc(s.repo)}</td><td>${esc(s.team)}</td>
        <td>${num(s.nd, 'nd', '#!changes')}</td><td>${num(s.changes, 'int', '#!changes')}</td>
        <td>${num(s.deployments, 'int', '#!deployments')}</td><td>${num(s.qualifying_deployments, 'int', '#!deployments')}</td></tr>`,
    )
    .join('');
  el.innerHTML = `<h1>Team ${esc(team.name || teamId)}</h1>
    ${reportHeader(report)}
    <div class="cards">
      ${card('team.nd', 'ND', team.nd, 'nd', explain.nd, '#!changes', `<span class="sub"> final ${text(team.nd_final)} · ${team.changes} changes</span>`)}
      ${card('team.nd_rate', 'ND rate', team.nd_rate, 'nd', `${explain.nd_rate} ${text(team.engineer_weeks)} engineer-weeks.`, '#!changes')}
      ${card('team.nd_index', 'ND index', team.nd_index, 'index', `${explain.nd_index} Baseline: ND ${text(team.baseline?.nd)}, rate ${text(team.baseline?.nd_rate)}.`, '#!changes', team.nd_index_ci ? `<span class="sub"> [${text(team.nd_index_ci[0], 'index')} – ${text(team.nd_index_ci[1], 'index')}]</span>` : '')}
      ${card('team.cost_per_nd', 'Cost per ND', team.cost_per_nd, 'usd', explain.cost_per_nd, ctx.link('/costs'))}
      ${card('team.ai_assisted_nd_share', 'AI-assisted share of ND', team.ai_assisted_nd_share, 'share', explain.ai_share, '#!changes')}
      ${card('team.review_coverage', 'Review coverage', team.review_coverage, 'share', explain.review_coverage, '#!changes')}
    </div>
    <h2>DORA</h2>
    ${doraCards(team.dora, '#!deployments')}
    <h2 id="services">Services</h2>
    <table class="services"><thead><tr><th>service</th><th>repository</th><th>owner team</th><th>ND</th><th>changes</th><th>deployments</th><th>qualifying</th></tr></thead>
      <tbody>${services}</tbody></table>
    <div class="charts">
      <div class="chart" id="chart-service-nd" role="img" aria-label="ND per service"></div>
      <div class="chart" id="chart-deploy-verdicts" role="img" aria-label="deployments by verdict"></div>
    </div>
    <h2 id="changes">Logical changes</h2>
    <p class="help">Delivered in the period, by service and time. ND = g × R × F × D: ${esc(explain.g)} ${esc(explain.r)} ${esc(explain.f)} ${esc(explain.d)}</p>
    ${changesTable(delivery.changes, changeLink, 'team share')}
    <h2 id="deployments">Deployments</h2>
    <p class="help">Every deployment of the team's services in the period and each deployment that delivered one of its changes, with the verdict of the ND engine (only "qpd", a qualifying production deployment, counts as a deployment).</p>
    ${deploymentsTable(delivery.deployments)}
    ${notes([...(report.notes || []), ...(delivery.notes || [])])}`;

  chart(document.getElementById('chart-service-nd'), {
    categories: delivery.services.map((s) => s.service),
    series: [{ name: 'ND', values: delivery.services.map((s) => s.nd) }],
  });
  const verdicts = {};
  for (const d of delivery.deployments) verdicts[d.status] = (verdicts[d.status] || 0) + 1;
  const statuses = Object.keys(verdicts).sort();
  chart(document.getElementById('chart-deploy-verdicts'), {
    categories: statuses,
    series: [{ name: 'deployments', values: statuses.map((s) => verdicts[s]) }],
    kind: 'int',
  });
}
