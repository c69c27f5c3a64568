// The dashboard shell: sign-in, navigation by role, the period, and a hash router
// ("#/team/payments?from=2026-06-01&to=2026-06-28"). Each page renders into <main> and sets
// data-state="ready" (or "error") on it when done.
import './style.css';
import { ApiError, apiKey, get, setApiKey } from './api.js';
import { disposeCharts } from './charts.js';
import { esc } from './format.js';
import { renderOverview } from './pages/overview.js';
import { renderTeam } from './pages/team.js';
import { renderFlags, renderFlag } from './pages/flags.js';
import { renderPerson } from './pages/person.js';
import { renderCosts } from './pages/costs.js';
import { renderGoodhart } from './pages/goodhart.js';
import { renderLogin } from './pages/login.js';

const app = document.getElementById('app');
let who = null; // {principal, role, person, min_group_size}
let renderToken = 0;

function isoDay(d) {
  return d.toISOString().slice(0, 10);
}

// The period: from the hash, else the last 28 days up to yesterday.
function period(query) {
  const end = new Date(Date.now() - 86400000);
  const start = new Date(end.getTime() - 27 * 86400000);
  return { from: query.get('from') || isoDay(start), to: query.get('to') || isoDay(end) };
}

function parseHash() {
  const hash = window.location.hash.replace(/^#/, '') || '/';
  const [path, search] = hash.split('?');
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  return { parts, query: new URLSearchParams(search || '') };
}

// A link to `path` keeping the period.
export function link(path, p) {
  return `#${path}?from=${encodeURIComponent(p.from)}&to=${encodeURIComponent(p.to)}`;
}

function renderNav(p) {
  const nav = document.getElementById('nav');
  const whoEl = document.getElementById('who');
  if (!who) {
    nav.innerHTML = '';
    whoEl.innerHTML = '';
    return;
  }
  const items = [];
  if (who.role !== 'member') items.push(['/', 'Overview']);
  if (who.role === 'member') items.push(['/me', 'My page']);
  items.push(['/flags', who.role === 'admin' ? 'Flags inbox' : 'Flags']);
  if (who.role !== 'member') items.push(['/costs', 'Costs']);
  items.push(['/goodhart', 'Goodhart table']);
  nav.innerHTML = items
    .map(([path, label]) => `<a href="${esc(link(path, p))}" data-nav="${esc(path)}">${esc(label)}</a>`)
    .join('');
  whoEl.innerHTML = `<span class="role" data-role="${esc(who.role)}">${esc(who.principal)} · ${esc(who.role)}</span>
    <button type="button" id="sign-out">Sign out</button>`;
  document.getElementById('sign-out').onclick = () => {
    setApiKey('');
    who = null;
    window.location.hash = '#/login';
  };
}

function renderPeriodBar(p, show) {
  const bar = document.getElementById('period-bar');
  if (!show) {
    bar.innerHTML = '';
    return;
  }
  bar.innerHTML = `<form id="period-form">
      <label>From <input type="date" name="from" value="${esc(p.from)}" required></label>
      <label>To <input type="date" name="to" value="${esc(p.to)}" required></label>
      <button type="submit">Show</button>
      <span class="hint">Dates include the whole day (UTC).</span>
    </form>`;
  document.getElementById('period-form').onsubmit = (e) => {
    e.preventDefault();
    const form = new FormData(e.target);
    const { parts } = parseHash();
    const path = `/${parts.map(encodeURIComponent).join('/')}`;
    window.location.hash = link(path, { from: form.get('from'), to: form.get('to') });
  };
}

export function showError(el, error) {
  const status = error instanceof ApiError ? ` (HTTP ${error.status})` : '';
  el.innerHTML = `<div class="error" role="alert" data-status="${esc(error.status || '')}">
      <strong>Not shown${esc(status)}.</strong> ${esc(error.message)}</div>`;
  el.dataset.state = 'error';
}

async function route() {
  const token = ++renderToken;
  disposeCharts();
  const { parts, query } = parseHash();
  const p = period(query);
  app.dataset.state = 'loading';
  delete app.dataset.route;
  app.innerHTML = '<p class="loading">Loading…</p>';

  if (parts[0] === 'login') {
    renderNav(p);
    renderPeriodBar(p, false);
    renderLogin(app, async (key) => {
      setApiKey(key);
      try {
        who = await get('/api/v1/whoami');
      } catch (error) {
        setApiKey('');
        throw error;
      }
      window.location.hash = link(who.role === 'member' ? '/me' : '/', p);
    });
    app.dataset.route = window.location.hash;
    return;
  }
  if (!who) {
    try {
      who = await get('/api/v1/whoami');
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) {
        window.location.hash = '#/login';
        return;
      }
      showError(app, error);
      app.dataset.route = window.location.hash;
      return;
    }
  }
  if (token !== renderToken) return;
  renderNav(p);
  renderPeriodBar(p, parts[0] !== 'goodhart');
  for (const a of document.querySelectorAll('#nav a')) {
    a.classList.toggle('active', a.dataset.nav === `/${parts[0] || ''}` || (a.dataset.nav === '/' && !parts[0]));
  }
  const ctx = { el: app, who, period: p, query, parts, link: (path) => link(path, p), current: () => token === renderToken };
  try {
    const page = parts[0] || (who.role === 'member' ? 'me' : '');
    if (page === '') await renderOverview(ctx);
    else if (page === 'team') await renderTeam(ctx, parts[1], parts[2] === 'change' ? parts[3] : null);
    else if (page === 'flags' && parts[1]) await renderFlag(ctx, parts[1]);
    else if (page === 'flags') await renderFlags(ctx);
    else if (page === 'me') await renderPerson(ctx, who.person, parts[1] === 'change' ? parts[2] : null);
    else if (page === 'person') await renderPerson(ctx, parts[1], parts[2] === 'change' ? parts[3] : null);
    else if (page === 'costs') await renderCosts(ctx);
    else if (page === 'goodhart') await renderGoodhart(ctx);
    else throw new Error(`dashboard: #/${parts.join('/')}: no such page`);
    if (token === renderToken) app.dataset.state = 'ready';
  } catch (error) {
    if (token === renderToken) {
      disposeCharts();
      showError(app, error);
    }
  }
  if (token === renderToken) app.dataset.route = window.location.hash;
}

// "#!id" links scroll to an element of the page instead of routing.
document.addEventListener('click', (e) => {
  const a = e.target.closest && e.target.closest('a[href^="#!"]');
  if (!a) return;
  e.preventDefault();
  const target = document.getElementById(a.getAttribute('href').slice(2));
  if (target) target.scrollIntoView({ behavior: 'smooth', block: 'start' });
});

window.addEventListener('hashchange', route);
if (!apiKey() && !window.location.hash) window.location.hash = '#/';
route();
