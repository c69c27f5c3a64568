// The dashboard in headless Chromium (Debian's /usr/bin/chromium, driven by playwright-core)
// against the real goodhart binary on 127.0.0.1, seeded by lib/seed.mjs. Run by ctest
// (`browser_test`, label `browser`) with GOODHART_BINARY set; screenshots of every page go to
// GOODHART_BROWSER_ARTIFACTS (build/<preset>/browser-artifacts).
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { chromium } from 'playwright-core';
import { seed } from './lib/seed.mjs';
import { startServer } from './lib/server.mjs';

const bin = process.env.GOODHART_BINARY;
const artifacts = process.env.GOODHART_BROWSER_ARTIFACTS || join(tmpdir(), 'goodhart-browser-artifacts');

let dir, seeded, server, browser;

before(async () => {
  assert.ok(bin, 'GOODHART_BINARY must name the goodhart binary');
  mkdirSync(artifacts, { recursive: true });
  dir = mkdtempSync(join(tmpdir(), 'goodhart-browser-'));
  seeded = await seed({ bin, dir });
  server = await startServer({ bin, data: seeded.data, config: seeded.config });
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync',
    ],
  });
});

after(async () => {
  await browser?.close();
  await server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const query = () => `?from=${seeded.period.from}&to=${seeded.period.to}`;

// The JSON API with a role's key, as the page calls it.
async function api(role, path, params = {}) {
  const url = new URL(path, server.url);
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  const res = await fetch(url, { headers: { Authorization: `Bearer ${seeded.keys[role]}` } });
  return { status: res.status, body: await res.json() };
}

// A signed-in tab for `role`, recording console errors, page errors and failed requests.
async function signIn(role) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const problems = [];
  page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()}`));
  page.on('response', (r) => r.status() >= 400 && problems.push(`HTTP ${r.status()}: ${r.url()}`));
  // With the period in the address the sign-in lands on the seeded period (the default, the last
  // 28 days, holds no data of the simulated organisation).
  await page.goto(`${server.url}/#/login${query()}`);
  await page.fill('#api-key', seeded.keys[role]);
  await page.click('#login-form button[type=submit]');
  await page.waitForFunction(() => {
    const app = document.getElementById('app');
    return app.dataset.route && !app.dataset.route.startsWith('#/login') && app.dataset.state !== 'loading';
  });
  return { page, context, problems };
}

// Opens `#<path>?period` and waits until that page has rendered (or shown its error).
async function open(page, path, state = 'ready') {
  const hash = `#${path}${query()}`;
  await page.evaluate((h) => {
    window.location.hash = h;
  }, hash);
  await page.waitForFunction((h) => document.getElementById('app').dataset.route === h, hash);
  assert.equal(await page.getAttribute('#app', 'data-state'), state, `${path}: ${await page.textContent('#app')}`);
}

async function shot(page, name) {
  await page.screenshot({ path: join(artifacts, `${name}.png`), fullPage: true });
}

// The number a page shows for data-metric `id` (the text, parsed: "$1,234.50" -> 1234.5).
async function shown(page, selector) {
  const textValue = await page.textContent(`${selector} .num`);
  return parse(textValue);
}

function parse(s) {
  const t = s.trim();
  if (t === '—') return null;
  const v = Number(t.replace(/[$,%h\s]/g, ''));
  return t.endsWith('%') ? v / 100 : v;
}

function near(actual, expected, tolerance, what) {
  if (expected === null) return assert.equal(actual, null, what);
  assert.ok(Math.abs(actual - expected) <= tolerance, `${what}: page shows ${actual}, the API says ${expected}`);
}

// The numbers drawn on a chart (SVG text) and the series it was given.
async function chartOf(page, id) {
  await page.waitForSelector(`#${id} svg`);
  const labels = await page.$$eval(`#${id} svg text`, (els) => els.map((e) => e.textContent));
  const series = JSON.parse(await page.getAttribute(`#${id}`, 'data-series'));
  const bars = await page.$$eval(`#${id} svg path`, (els) => els.length);
  return { labels, series, bars };
}

// Every value of `expected` is drawn as a label on the chart (within rounding).
function assertDrawn(chart, expected, tolerance, what) {
  const numbers = chart.labels.map(parse).filter((v) => v !== null && !Number.isNaN(v));
  for (const v of expected) {
    if (v === null) continue;
    assert.ok(numbers.some((n) => Math.abs(n - v) <= tolerance), `${what}: ${v} is not drawn (labels ${chart.labels.join(' | ')})`);
  }
}

// The first team the analyst's report publishes.
async function publishedTeam() {
  const { body: report } = await api('analyst', '/api/v1/report', seeded.period);
  return report.teams.find((t) => !t.suppressed).team;
}

test('every page loads without console errors, and a screenshot of each is written', async () => {
  const { member, other } = seeded.people;
  const pages = {
    admin: ['/', `/team/${member.team}`, `/team/${other.team}`, '/costs', '/goodhart', '/flags', `/person/${member.id}`],
    analyst: ['/', `/team/${await publishedTeam()}`, '/costs', '/flags', '/goodhart'],
    member: ['/me', '/flags', '/goodhart'],
  };
  const { body: delivery } = await api('admin', `/api/v1/teams/${member.team}/delivery`, seeded.period);
  const { body: memberFlags } = await api('member', '/api/v1/flags');
  pages.admin.push(`/team/${member.team}/change/${encodeURIComponent(delivery.changes[0].id)}`);
  pages.member.push(`/flags/${memberFlags.flags[0].id}`);
  const { body: memberDelivery } = await api('member', `/api/v1/people/${member.id}/delivery`, seeded.period);
  pages.member.push(`/me/change/${encodeURIComponent(memberDelivery.changes[0].id)}`);
  for (const [role, paths] of Object.entries(pages)) {
    const { page, context, problems } = await signIn(role);
    for (const path of paths) {
      await open(page, path);
      await shot(page, `${role}${path.replace(/[^A-Za-z0-9]+/g, '-').replace(/-$/, '') || '-overview'}`);
    }
    assert.deepEqual(problems, [], `${role}: ${problems.join('\n')}`);
    await context.close();
  }
});

test('charts and numbers show what the API returns', async () => {
  const { page, context, problems } = await signIn('admin');
  const { body: report } = await api('admin', '/api/v1/report', seeded.period);
  await open(page, '/');
  near(await shown(page, '[data-metric="org.nd"]'), report.org.nd, 0.005, 'org ND');
  near(await shown(page, '[data-metric="org.cost_per_nd"]'), report.org.cost_per_nd, 0.005, 'cost per ND');
  near(await shown(page, '[data-metric="org.ai_assisted_nd_share"]'), report.org.ai_assisted_nd_share, 0.0005, 'AI share');
  near(await shown(page, '[data-metric="org.orphan_token_share"]'), report.org.orphan_token_share, 0.0005, 'orphan tokens');
  near(await shown(page, '[data-metric="dora.deployment_frequency"]'), report.org.dora.deployment_days_per_week, 0.005, 'deploy days');
  near(await shown(page, '[data-metric="dora.lead_time"]'), report.org.dora.lead_time_hours_median, 0.05, 'lead time');
  near(await shown(page, '[data-metric="dora.change_failure_rate"]'), report.org.dora.change_failure_rate, 0.0005, 'CFR');
  assert.equal(await page.textContent('[data-definition-version]'), report.definition_version);
  const teamNd = await chartOf(page, 'chart-team-nd');
  assert.deepEqual(teamNd.series[0].values, report.teams.map((t) => t.nd));
  assertDrawn(teamNd, report.teams.map((t) => t.nd), 0.005, 'team ND chart');
  assert.ok(teamNd.bars >= report.teams.length, 'one bar per team');
  const index = await chartOf(page, 'chart-team-index');
  assertDrawn(index, report.teams.map((t) => t.nd_index), 0.005, 'ND index chart');
  const trend = await chartOf(page, 'chart-org-nd-trend');
  assert.equal(trend.series[0].values.at(-1), report.org.nd, 'the last window of the trend is the period');
  assertDrawn(trend, [report.org.nd], 0.005, 'ND trend chart');
  for (const t of report.teams) {
    near(await shown(page, `tr[data-team="${t.team}"] td:nth-child(4)`), t.nd, 0.005, `${t.team} ND`);
  }

  const team = seeded.people.other.team;
  const { body: delivery } = await api('admin', `/api/v1/teams/${team}/delivery`, seeded.period);
  await open(page, `/team/${team}`);
  const services = await chartOf(page, 'chart-service-nd');
  assertDrawn(services, delivery.services.map((s) => s.nd), 0.005, 'service ND chart');
  assert.equal(await page.$$eval('table.changes tbody tr', (rows) => rows.length), delivery.changes.length);
  assert.equal(await page.$$eval('table.deployments tbody tr', (rows) => rows.length), delivery.deployments.length);
  const change = delivery.changes[0];
  await page.click(`tr[data-change="${change.id}"] td a`);
  await page.waitForSelector(`.change-detail[data-change="${change.id}"]`);
  near(await shown(page, '[data-factor="g"]'), change.credit.g, 0.005, 'g');
  near(await shown(page, '[data-factor="d"]'), change.d, 0.005, 'D');
  assertDrawn(await chartOf(page, 'chart-change-factors'), [change.credit.g, change.review.value, change.failure.value, change.d, change.nd], 0.005, 'factors chart');

  const { body: costs } = await api('admin', '/api/v1/costs', seeded.period);
  await open(page, '/costs');
  near(await shown(page, '[data-metric="costs.total"]'), costs.total.cost_usd, 0.005, 'total cost');
  near(await shown(page, '[data-metric="costs.price_table"]'), costs.total.price_table_cost_usd, 0.005, 'price-table cost');
  const byTool = await chartOf(page, 'chart-cost-tool');
  assertDrawn(byTool, costs.by_tool.map((r) => r.reported_cost_usd || r.computed_cost_usd), 0.005, 'cost by tool chart');
  assert.deepEqual(byTool.series[0].values, costs.by_tool.map((r) => r.reported_cost_usd));

  const { body: table } = await api('admin', '/api/v1/goodhart-table');
  await open(page, '/goodhart');
  const goodhart = await chartOf(page, 'chart-goodhart');
  const tokens = table.seeds[0].strategies.map((s) => s.uplift.tokens.median);
  assert.deepEqual(goodhart.series.find((s) => s.name === 'tokens').values, tokens);
  assertDrawn(goodhart, tokens, 0.5, 'Goodhart chart, tokens');
  assert.equal(await page.$$eval('table.goodhart tbody tr', (rows) => rows.length), table.seeds.reduce((n, s) => n + s.strategies.length, 0));
  assert.deepEqual(problems, []);
  await context.close();
});

test('the analyst sees exactly the teams the API publishes for k-anonymity, and no person', async () => {
  const { page, context, problems } = await signIn('analyst');
  const { body: report } = await api('analyst', '/api/v1/report', seeded.period);
  await open(page, '/');
  for (const t of report.teams) {
    const cls = await page.getAttribute(`tr[data-team="${t.team}"]`, 'class');
    assert.equal(cls === 'suppressed', Boolean(t.suppressed), `team ${t.team}`);
  }
  assert.ok(report.teams.some((t) => t.suppressed) && report.teams.some((t) => !t.suppressed));
  const hidden = report.teams.find((t) => t.suppressed);
  await open(page, `/team/${hidden.team}`);
  assert.equal(await page.getAttribute('[data-suppressed]', 'data-suppressed'), 'true');
  for (const path of ['/', '/costs', `/team/${await publishedTeam()}`]) {
    await open(page, path);
    const body = await page.textContent('#app');
    for (const p of seeded.names) assert.ok(!new RegExp(`\\b${p}\\b`).test(body), `${path} names ${p}`);
  }
  assert.deepEqual(problems, []);
  await context.close();
});

test('a reviewer records a disposition and ND* changes', async () => {
  const who = seeded.people.member.id;
  const nd = async () => (await api('admin', '/api/v1/report', { ...seeded.period, people: 'true', person: who })).body.people[0];
  const before = await nd();
  assert.ok(before.nd > 0);
  assert.equal(before.nd_star, before.nd);

  // The reviewer's tab (signed in first: its landing page is the overview the earlier tests read).
  const admin = await signIn('admin');
  // The member sees the flag of the period first and answers it.
  const member = await signIn('member');
  await open(member.page, '/me');
  near(await shown(member.page, '[data-metric="person.nd_star"]'), before.nd_star, 0.005, `${who}'s ND* before`);
  const periodEnd = Date.parse(seeded.period.to) + 86400000;
  const flag = (await api('member', '/api/v1/flags')).body.flags.find((f) => f.detector_id === 'D7' && f.period.to_unix_ms === periodEnd);
  assert.ok(flag, `no D7 flag about ${who} for ${seeded.period.from}..${seeded.period.to}`);
  assert.equal(flag.status, 'awaiting_subject');
  await open(member.page, `/flags/${flag.id}`);
  await member.page.fill('#annotate-form textarea', 'I split a migration into small steps.');
  await member.page.click('#annotate-form button[type=submit]');
  await member.page.waitForSelector('[data-field="status"]:text("open")');
  await shot(member.page, 'member-flag-answered');

  // The reviewer finds it in the inbox and confirms gaming.
  await open(admin.page, '/flags');
  await admin.page.click(`tr[data-flag="${flag.id}"][data-status="open"] a`);
  await admin.page.waitForSelector('#dispose-form');
  await shot(admin.page, 'admin-flag-open');
  await admin.page.check('#dispose-form input[value="confirmed_gaming"]');
  await admin.page.fill('#dispose-form textarea', `Micro-changes to pad counts, discussed with ${who}.`);
  await admin.page.click('#dispose-form button[type=submit]');
  await admin.page.waitForSelector('[data-field="disposition"]:text("confirmed_gaming")');
  await shot(admin.page, 'admin-flag-resolved');
  // Its evidence leads to the flagged changes' credit breakdown.
  assert.equal(await admin.page.$$eval('table.evidence a', (as) => as.length), flag.evidence.length);
  await admin.page.click('table.evidence a');
  await admin.page.waitForSelector('.change-detail');
  const changeId = await admin.page.getAttribute('.change-detail', 'data-change');
  const { body: memberDelivery } = await api('admin', `/api/v1/people/${who}/delivery`, seeded.period);
  const flagged = memberDelivery.changes.find((c) => c.id === changeId);
  assert.ok(flagged.parts.some((p) => p.change_id === flag.evidence[0].id));
  near(await shown(admin.page, '[data-field="nd"]'), flagged.nd, 0.005, 'the flagged change ND');

  const after = await nd();
  assert.equal(after.nd, before.nd);
  assert.ok(after.nd_star < before.nd_star, `ND* ${after.nd_star} is not below ${before.nd_star}`);
  await open(admin.page, `/person/${who}`);
  near(await shown(admin.page, '[data-metric="person.nd_star"]'), after.nd_star, 0.005, `${who}'s ND* (reviewer)`);
  near(await shown(admin.page, '[data-metric="person.nd"]'), after.nd, 0.005, `${who}'s ND (reviewer)`);
  assertDrawn(await chartOf(admin.page, 'chart-person-nd'), [after.nd, after.nd_star], 0.005, 'ND and ND* chart');
  await shot(admin.page, 'admin-person-member-after');
  await open(member.page, '/me');
  near(await shown(member.page, '[data-metric="person.nd_star"]'), after.nd_star, 0.005, `${who}'s ND* after`);
  await shot(member.page, 'member-me-after');
  assert.deepEqual([...member.problems, ...admin.problems], []);
  await member.context.close();
  await admin.context.close();
});

test("a member cannot reach another person's page", async () => {
  const { other } = seeded.people;
  const { page, context, problems } = await signIn('member');
  const denied = await api('member', `/api/v1/people/${other.id}/delivery`, seeded.period);
  assert.equal(denied.status, 403);
  await open(page, `/person/${other.id}`, 'error');
  assert.equal(await page.getAttribute('[role=alert]', 'data-status'), '403');
  assert.match(await page.textContent('[role=alert]'), /another person's data/);
  assert.equal(await page.$('[data-metric="person.nd"]'), null);
  await shot(page, 'member-person-other-denied');
  await open(page, `/team/${other.team}`, 'error');
  assert.equal(await page.getAttribute('[role=alert]', 'data-status'), '403');
  // The navigation offers a member only their own page.
  const nav = await page.$$eval('#nav a', (as) => as.map((a) => a.dataset.nav));
  assert.deepEqual(nav, ['/me', '/flags', '/goodhart']);
  // The only failures are the two refusals.
  assert.deepEqual(problems.filter((p) => !/HTTP 403|status of 403/.test(p)), []);
  await context.close();
});
