// The flags inbox (reviewers: admin) and a flag's page: explanation, evidence, the benign
// explanations to consider, the history of notes, and the workflow (docs/flags.md): the subject
// answers (annotation), then the reviewer records a disposition with a note.
import { get, post } from '../api.js';
import { date, day, esc, num, periodDays } from '../format.js';

function subject(f, ctx) {
  const label = `${f.subject.kind} ${f.subject.id}`;
  if (f.subject.kind === 'person' && ctx.who.role === 'admin') {
    return `<a href="${esc(ctx.link(`/person/${encodeURIComponent(f.subject.id)}`))}">${esc(label)}</a>`;
  }
  if (f.subject.kind === 'team' && ctx.who.role !== 'member') {
    return `<a href="${esc(ctx.link(`/team/${encodeURIComponent(f.subject.id)}`))}">${esc(label)}</a>`;
  }
  return esc(label);
}

function rows(flags, ctx) {
  return flags
    .map(
      (f) => `<tr data-flag="${esc(f.id)}" data-status="${esc(f.status)}">
        <td><a href="${esc(ctx.link(`/flags/${f.id}`))}">${esc(f.detector_id)}</a></td><td>${esc(f.tier)}</td>
        <td>${subject(f, ctx)}</td><td>${esc(f.team)}</td>
        <td>${esc(periodDays(f.period))}</td>
        <td class="status-${esc(f.status)}">${esc(f.status)}</td><td>${esc(f.disposition || '')}</td>
        <td>${esc(f.materiality?.reason || '')}</td></tr>`,
    )
    .join('');
}

function table(flags, ctx) {
  if (!flags.length) return '<p class="empty">None.</p>';
  return `<table class="flags"><thead><tr><th>detector</th><th>tier</th><th>subject</th><th>team</th><th>period</th>
      <th>status</th><th>disposition</th><th>why it is shown</th></tr></thead><tbody>${rows(flags, ctx)}</tbody></table>`;
}

export async function renderFlags(ctx) {
  const { el, who } = ctx;
  const { flags } = await get('/api/v1/flags');
  if (!ctx.current()) return;
  const open = flags.filter((f) => f.status === 'open');
  const waiting = flags.filter((f) => f.status === 'awaiting_subject');
  const resolved = flags.filter((f) => f.status === 'resolved');
  const intro = {
    admin: 'Flags about people appear here once the person has answered or five working days have passed. Record a disposition with a note; nothing about a person changes automatically.',
    analyst: 'Flags about teams, services and pipelines. Flags about people are seen only by the person and the reviewer.',
    member: 'Flags about you. You see each one first: add your explanation before the reviewer looks at it.',
  }[who.role];
  el.innerHTML = `<h1>${who.role === 'admin' ? 'Flags inbox' : 'Flags'}</h1>
    <p class="help">${esc(intro)} A flag starts a conversation; it is never a sanction.</p>
    <h2>${who.role === 'admin' ? 'Needs your decision' : 'Open'} (${open.length})</h2>${table(open, ctx)}
    ${waiting.length || who.role === 'member' ? `<h2>Waiting for the subject (${waiting.length})</h2>${table(waiting, ctx)}` : ''}
    <h2>Resolved (${resolved.length})</h2>${table(resolved, ctx)}`;
}

// Evidence ids that are pull requests of the subject's logical changes link to the change's credit
// breakdown, for the callers who may see the subject's page (the reviewer and the subject).
async function evidenceLinks(ctx, f, isSubject) {
  if (f.subject.kind !== 'person' || !(isSubject || ctx.who.role === 'admin')) return {};
  const p = {
    from: new Date(f.period.from_unix_ms).toISOString().slice(0, 10),
    to: new Date(f.period.to_unix_ms - 86400000).toISOString().slice(0, 10),
  };
  const delivery = await get(`/api/v1/people/${encodeURIComponent(f.subject.id)}/delivery`, p);
  const base = isSubject ? '/me' : `/person/${encodeURIComponent(f.subject.id)}`;
  const links = {};
  for (const c of delivery.changes) {
    for (const part of c.parts) {
      links[part.change_id] = `#${base}/change/${encodeURIComponent(c.id)}?from=${p.from}&to=${p.to}`;
    }
  }
  return links;
}

export async function renderFlag(ctx, id) {
  const { el, who } = ctx;
  const f = await get(`/api/v1/flags/${encodeURIComponent(id)}`);
  if (!ctx.current()) return;
  const isSubject = who.role === 'member' && f.subject.kind === 'person' && f.subject.id === who.person;
  const canAnnotate = isSubject || who.role === 'admin';
  const canDispose = who.role === 'admin' && f.status === 'open';
  const links = await evidenceLinks(ctx, f, isSubject);
  if (!ctx.current()) return;
  const evidence = f.evidence
    .map((e) => {
      const id = links[e.id] ? `<a href="${esc(links[e.id])}"><code>${esc(e.id)}</code></a>` : `<code>${esc(e.id)}</code>`;
      return `<tr><td>${id}</td><td>${esc(date(e.at_unix_ms))}</td><td>${esc(e.value)}</td><td>${esc(e.note)}</td></tr>`;
    })
    .join('');
  const history = f.notes
    .map((n) => `<li data-note-kind="${esc(n.kind)}">${esc(date(n.at))} · ${esc(n.kind)}${n.disposition ? ` <strong>${esc(n.disposition)}</strong>` : ''} by ${esc(n.author)}: ${esc(n.note)}</li>`)
    .join('');
  el.innerHTML = `<p><a href="${esc(ctx.link('/flags'))}">← flags</a></p>
    <h1>${esc(f.detector_id)}: ${esc(f.score_name)}</h1>
    <p class="stamp">Subject ${esc(f.subject.kind)} <strong>${esc(f.subject.id)}</strong> · team ${esc(f.team)} · period ${esc(periodDays(f.period))} ·
      tier ${esc(f.tier)} (${esc(f.gate)}) · status <strong data-field="status">${esc(f.status)}</strong>${f.disposition ? ` · disposition <strong data-field="disposition">${esc(f.disposition)}</strong>` : ''} ·
      ${esc(f.detector_version)}, parameters ${esc(f.params_version)}</p>
    <section class="explanation"><h2>What was seen</h2><p>${esc(f.explanation)}</p>
      <p>Score ${num(f.score, 'z')} against a threshold of ${num(f.threshold, 'z')}${f.peer_group ? `; peers: ${esc(f.peer_group)}` : ''}. ${esc(f.materiality?.reason || '')}</p>
      <p><strong>Recommended:</strong> ${esc(f.recommended_action)}</p></section>
    <h2>Evidence</h2>
    <table class="evidence"><thead><tr><th>id</th><th>when</th><th>value</th><th>why it is evidence</th></tr></thead><tbody>${evidence}</tbody></table>
    <h2>Benign explanations to consider</h2><ul>${f.benign_explanations.map((b) => `<li>${esc(b)}</li>`).join('')}</ul>
    <h2>History</h2><ul class="history">${history || '<li>No notes yet.</li>'}</ul>
    ${canAnnotate ? `<form id="annotate-form" class="workflow"><h2>${isSubject ? 'Your answer' : 'Add a note'}</h2>
      <textarea name="note" required rows="3" aria-label="note"></textarea><button type="submit">Add note</button></form>` : ''}
    ${canDispose ? `<form id="dispose-form" class="workflow"><h2>Disposition</h2>
      <label><input type="radio" name="disposition" value="benign" required> benign</label>
      <label><input type="radio" name="disposition" value="process_issue"> process issue</label>
      <label><input type="radio" name="disposition" value="confirmed_gaming"> confirmed gaming</label>
      <textarea name="note" required rows="3" aria-label="disposition note" placeholder="Why (required)"></textarea>
      <button type="submit">Record disposition</button></form>` : ''}
    ${who.role === 'admin' && f.status === 'awaiting_subject' ? '<p class="help">The subject has not answered yet; the review opens on ' + esc(day(f.review_opens)) + '.</p>' : ''}
    <p id="workflow-result" role="status"></p>`;
  const submit = (formId, path, body) => {
    const form = document.getElementById(formId);
    if (!form) return;
    form.onsubmit = async (e) => {
      e.preventDefault();
      const data = new FormData(form);
      try {
        await post(`/api/v1/flags/${encodeURIComponent(id)}/${path}`, body(data));
        window.dispatchEvent(new HashChangeEvent('hashchange'));
      } catch (error) {
        document.getElementById('workflow-result').textContent = error.message;
      }
    };
  };
  submit('annotate-form', 'annotation', (d) => ({ note: d.get('note') }));
  submit('dispose-form', 'disposition', (d) => ({ disposition: d.get('disposition'), note: d.get('note') }));
}
