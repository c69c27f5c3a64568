// A person's page: their own numbers (ND, ND*, cost, tokens), their flags, and the changes behind
// their ND. A member sees only their own page (the API answers 403 for anyone else's); an admin
// reaches a person from a flag or a change, never from a list of people.
import { get } from '../api.js';
import { chart } from '../charts.js';
import { explain } from '../definitions.js';
import { esc, num, periodDays, text } from '../format.js';
import { card, changeDetail, changesTable, deploymentsTable, notes, reportHeader } from './common.js';

export async function renderPerson(ctx, personId, changeId) {
  const { el, period, who } = ctx;
  if (!personId) throw new Error('dashboard: this API key belongs to no person (a member key names one)');
  // The delivery route decides who may see this page; ask it first.
  const delivery = await get(`/api/v1/people/${encodeURIComponent(personId)}/delivery`, period);
  const [report, flags] = await Promise.all([
    get('/api/v1/report', { ...period, people: 'true', person: personId }),
    get('/api/v1/flags', { person: personId }),
  ]);
  if (!ctx.current()) return;
  const row = (report.people || []).find((p) => p.person === personId);
  const self = who.person === personId;
  const base = self ? '/me' : `/person/${encodeURIComponent(personId)}`;
  const changeLink = (id) => ctx.link(`${base}/change/${encodeURIComponent(id)}`);
  const personLink = who.role === 'admin' ? (id) => ctx.link(`/person/${encodeURIComponent(id)}`) : () => '';
  if (changeId) {
    const c = delivery.changes.find((x) => x.id === changeId);
    if (!c) throw new Error(`dashboard: change ${changeId} is not among ${personId}'s changes of the period`);
    el.innerHTML = `<p><a href="${esc(ctx.link(base))}">← ${esc(personId)}</a></p>${changeDetail(c, personLink)}`;
    return;
  }
  const flagRows = flags.flags
    .map(
      (f) => `<tr data-flag="${esc(f.id)}"><td><a href="${esc(ctx.link(`/flags/${f.id}`))}">${esc(f.detector_id)}</a></td>
        <td>${esc(periodDays(f.period))}</td><td>${esc(f.status)}</td><td>${esc(f.disposition || '')}</td>
        <td>${esc(f.explanation)}</td></tr>`,
    )
    .join('');
  el.innerHTML = `<h1>${self ? 'My page' : `Person ${esc(personId)}`}</h1>
    ${reportHeader(report)}
    <p class="help">${self ? 'Only you and the reviewer (admin) see this page.' : 'Person-level data: this read is written to the audit log.'} Team ${esc(row?.team || '—')}.</p>
    ${
      row
        ? `<div class="cards">
      ${card('person.nd', 'ND', row.nd, 'nd', explain.nd, '#!changes', `<span class="sub"> final ${text(row.nd_final)} · pending ${text(row.nd_pending)}</span>`)}
      ${card('person.nd_star', 'ND*', row.nd_star, 'nd', explain.nd_star, '#!flags')}
      ${card('person.nd_rate', 'ND rate', row.nd_rate, 'nd', 'ND per week of your FTE.', '#!changes')}
      ${card('person.changes', 'Logical changes', row.changes, 'int', explain.changes, '#!changes')}
      ${card('person.cost_usd', 'AI spend', row.cost_usd, 'usd', explain.cost_usd)}
      ${card('person.tokens', 'Tokens', row.tokens, 'int', explain.tokens)}
    </div>
    <div class="chart" id="chart-person-nd" role="img" aria-label="ND and ND*"></div>`
        : '<p class="empty">No report row for this person in the period.</p>'
    }
    <h2 id="flags">Flags (${flags.flags.length})</h2>
    ${flagRows ? `<table class="flags"><thead><tr><th>detector</th><th>period</th><th>status</th><th>disposition</th><th>explanation</th></tr></thead><tbody>${flagRows}</tbody></table>` : '<p class="empty">No flags.</p>'}
    <h2 id="changes">Logical changes</h2>
    ${changesTable(delivery.changes, changeLink, 'your share')}
    <h2 id="deployments">Deployments that shipped them</h2>
    ${deploymentsTable(delivery.deployments)}
    ${notes(delivery.notes)}`;
  if (row) {
    chart(document.getElementById('chart-person-nd'), {
      categories: ['ND', 'ND*', 'ND final'],
      series: [{ name: personId, values: [row.nd, row.nd_star, row.nd_final] }],
    });
  }
}
