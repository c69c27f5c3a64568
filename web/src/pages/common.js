// Pieces several pages share: metric cards, the report header, a change's credit breakdown.
import { explain } from '../definitions.js';
import { date, day, esc, num } from '../format.js';

// A card: the number (a link to its evidence when `href`), its name and what it means.
export function card(id, title, value, kind, help, href = '', extra = '') {
  return `<div class="card" data-metric="${esc(id)}">
      <div class="card-title">${esc(title)}</div>
      <div class="card-value">${num(value, kind, href)}${extra}</div>
      <div class="card-help">${esc(help)}</div>
    </div>`;
}

export function reportHeader(report) {
  return `<p class="stamp">Period ${esc(day(report.period.from))} to ${esc(day(report.period.to))} (exclusive) ·
      definition <code data-definition-version>${esc(report.definition_version)}</code> ·
      as of ${esc(date(report.as_of))} · directory v${esc(report.directory_version ?? '—')}</p>`;
}

export function notes(list) {
  if (!list || !list.length) return '';
  return `<details class="notes"><summary>Notes (${list.length})</summary><ul>${list
    .map((n) => `<li>${esc(n)}</li>`)
    .join('')}</ul></details>`;
}

export function doraCards(dora, href = '') {
  if (!dora) return '';
  return `<div class="cards">
    ${card('dora.deployment_frequency', 'Deployment frequency', dora.deployment_days_per_week, 'nd', `${explain.deployment_frequency} Bucket: ${dora.deployment_frequency_bucket ?? '—'}; ${dora.deployment_count ?? 0} qualifying deployments.`, href)}
    ${card('dora.lead_time', 'Lead time (median)', dora.lead_time_hours_median, 'hours', explain.lead_time, href)}
    ${card('dora.change_failure_rate', 'Change failure rate', dora.change_failure_rate, 'share', explain.change_failure_rate, href)}
    ${card('dora.recovery', 'Time to restore (median)', dora.recovery_hours_median, 'hours', explain.recovery, href)}
    ${card('dora.rework_rate', 'Rework rate', dora.rework_rate, 'share', explain.rework_rate, href)}
  </div>`;
}

// Identity as the API gave it; "" is someone the caller may not see.
export function person(id, link) {
  if (!id) return '<span class="hidden-person">(not shown)</span>';
  return link ? `<a href="${esc(link)}">${esc(id)}</a>` : esc(id);
}

// The full credit breakdown of one logical change: ND = g × R × F × D, each with its evidence.
export function changeDetail(c, personLink) {
  const parts = c.parts
    .map(
      (p) => `<tr>
        <td>${esc(p.change_id)}</td><td>${esc(p.title)}</td><td>${person(p.owner, p.owner && personLink(p.owner))}</td>
        <td>${esc(date(p.merged_unix_ms))}</td><td>${num(p.substance, 'int')}</td>
        <td>${esc(p.deployment_id)}</td><td>${p.commit_shas.map((s) => `<code>${esc(s.slice(0, 10))}</code>`).join(' ')}</td>
        <td>${[...p.duplicate_commit_shas, ...p.revert_commit_shas].map((s) => `<code>${esc(s.slice(0, 10))}</code>`).join(' ')}</td>
      </tr>`,
    )
    .join('');
  const approvals = c.review.approvals
    .map((a) => `<li>${esc(a.review_id)} by ${person(a.reviewer)} at ${esc(date(a.submitted_unix_ms))}${a.break_glass ? ' (break-glass)' : ''}</li>`)
    .join('');
  const failures = c.failure.events
    .map((e) => `<li>${esc(e.kind)} ${esc(e.event_id)} at ${esc(date(e.at_unix_ms))}: ${esc(e.detail)}</li>`)
    .join('');
  const losses = c.durability.losses
    .map((l) => `<li>${num(l.lines, 'int')} lines of ${esc(l.path)} overwritten by <code>${esc(l.commit_sha.slice(0, 10))}</code> ${person(l.by)} at ${esc(date(l.at_unix_ms))}</li>`)
    .join('');
  const shares = c.shares
    .map((s) => `<li>${person(s.person_id, s.person_id && personLink(s.person_id))}: ${num(s.share, 'share')} (${num(s.lines, 'int')} lines)</li>`)
    .join('');
  return `<section class="change-detail" data-change="${esc(c.id)}">
    <h2>Logical change <code>${esc(c.id)}</code></h2>
    <p>Service <strong>${esc(c.service)}</strong> · delivered ${esc(date(c.delivered_unix_ms))} by deployment <code>${esc(c.delivered_by)}</code> · stage <strong>${esc(c.stage)}</strong></p>
    <div class="formula">ND = g × R × F × D = ${num(c.credit.g)} × ${num(c.review.value, 'int')} × ${num(c.failure.value, 'int')} × ${num(c.d)} = <strong data-field="nd">${num(c.nd)}</strong></div>
    <div class="cards">
      <div class="card" data-factor="g"><div class="card-title">Substance → g</div>
        <div class="card-value">${num(c.credit.g)}</div>
        <div class="card-help">S = ${num(c.credit.s, 'int')} meaningful lines (credited ${num(c.credit.s_credited, 'int')}), S_ref = ${num(c.credit.s_ref, 'int')}, band ${esc(c.credit.band)}: ${esc(c.credit.g_formula)}. ${esc(explainText('g'))}</div></div>
      <div class="card" data-factor="r"><div class="card-title">Review R</div>
        <div class="card-value">${num(c.review.value, 'int')}</div>
        <div class="card-help">${esc(c.review.reason)}<ul>${approvals}</ul></div></div>
      <div class="card" data-factor="f"><div class="card-title">Failure F</div>
        <div class="card-value">${num(c.failure.value, 'int')}</div>
        <div class="card-help">${failures ? `<ul>${failures}</ul>` : 'No failure linked.'} ${c.failure.notes.map(esc).join(' ')}</div></div>
      <div class="card" data-factor="d"><div class="card-title">Durability D</div>
        <div class="card-value">${num(c.d)}</div>
        <div class="card-help">${c.durability.measured ? `${num(c.durability.lines, 'int')} lines; lost ${num(c.durability.lost_prov, 'int')} by 21 days, ${num(c.durability.lost_final, 'int')} by 90 days.` : 'Not measured (D = 1).'}<ul>${losses}</ul></div></div>
    </div>
    <h3>Pull requests and commits</h3>
    <table><thead><tr><th>change</th><th>title</th><th>owner</th><th>merged</th><th>substance</th><th>deployment</th><th>commits</th><th>weigh nothing</th></tr></thead><tbody>${parts}</tbody></table>
    <h3>Credit shares</h3><ul>${shares || '<li>none</li>'}</ul>
    ${c.grouping.length ? `<h3>Why these form one change</h3><ul>${c.grouping.map((g) => `<li>${esc(g)}</li>`).join('')}</ul>` : ''}
    ${notes([...c.notes, ...(c.duplicate_of ? [`repeats content credited to ${c.duplicate_of}`] : [])])}
  </section>`;
}

function explainText(key) {
  return explain[key] || '';
}

// The changes table: each ND links to the change's breakdown.
export function changesTable(changes, changeLink, shareLabel) {
  if (!changes.length) return '<p class="empty">No logical change delivered in the period.</p>';
  const rows = changes
    .map(
      (c) => `<tr data-change="${esc(c.id)}">
        <td><a href="${esc(changeLink(c.id))}">${esc(c.id)}</a></td><td>${esc(c.service)}</td>
        <td>${esc(date(c.delivered_unix_ms))}</td><td>${esc(c.stage)}</td>
        <td>${num(c.s, 'int')}</td><td>${num(c.credit.g)}</td><td>${num(c.review.value, 'int')}</td>
        <td>${num(c.failure.value, 'int')}</td><td>${num(c.d)}</td>
        <td>${num(c.nd, 'nd', changeLink(c.id))}</td><td>${num(c.scope_share, 'share')}</td>
      </tr>`,
    )
    .join('');
  return `<table class="changes"><thead><tr><th>logical change</th><th>service</th><th>delivered</th><th>stage</th>
      <th title="meaningful lines">S</th><th>g</th><th>R</th><th>F</th><th>D</th><th>ND</th><th>${esc(shareLabel)}</th></tr></thead>
      <tbody>${rows}</tbody></table>`;
}

export function deploymentsTable(deployments) {
  if (!deployments.length) return '<p class="empty">No deployment in the period.</p>';
  const rows = deployments
    .map(
      (d) => `<tr data-deployment="${esc(d.deployment_id)}" id="deployment-${esc(d.deployment_id)}">
        <td><code>${esc(d.deployment_id)}</code></td><td>${esc(d.service)}</td><td>${esc(d.environment)}</td>
        <td>${esc(date(d.finished_unix_ms || d.started_unix_ms))}</td><td class="status-${esc(d.status)}">${esc(d.status)}</td>
        <td>${esc(d.reason)}</td><td>${num(d.substance, 'int')}</td><td>${d.delivered_change_ids.map(esc).join(', ')}</td>
      </tr>`,
    )
    .join('');
  return `<table class="deployments"><thead><tr><th>deployment</th><th>service</th><th>environment</th><th>finished</th>
      <th>verdict</th><th>why</th><th>substance</th><th>delivered changes</th></tr></thead><tbody>${rows}</tbody></table>`;
}
