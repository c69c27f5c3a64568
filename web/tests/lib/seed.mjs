// Seeds a goodhart data directory for the browser test: the one place that decides where the
// dashboard's data comes from. It is the demo (scripts/run.sh) in small: the simulator writes one
// organisation as wire formats (`goodhart simulate --emit`), the real server receives it through
// its receivers (`goodhart replay --url`: the directory, Claude Code's OTLP bodies, signed GitHub
// webhooks, deployment requests), `goodhart import-git` reads the emitted repositories, and
// `goodhart detect` runs at the end of each four-week period. Then `goodhart simulate --format json`
// writes the Goodhart table. The test needs what seed() returns: a shown D7 flag about a person
// with a member key (the disposition test), and one team the analyst may see and one it may not.
//
// The organisation: 3 teams x 5 engineers (t00..t02, people e000..e014), seed 1, January-April
// 2026 (a baseline period and three test periods). One gamer per team: e001 tokenmaxx (S1), e005
// trivial (S4: about five extra pull requests a day of 0-7 meaningful lines) and e012 noop (S3).
// Engineers make 1.2 changes a working day (--changes-per-day; the simulator's default is 0.6).
// D7 compares a person's share of micro-changes with their peer group: the people of the same role
// with at least 20 changes in the period when there are 8 of them, else the whole organisation.
// At 0.6 (about 12 changes in four weeks) few product engineers reach 20, so a 15-person
// organisation has no product peer group, the org-wide group is mostly its platform engineers
// (changes small by nature), and the trivial gamer's robust z stays below 1 (docs/simulate.md). At
// 1.2 D7 meets its tier rule for e005 in every test period (robust z 12.4, 5.8 and 4.4 against 10
// or 11 product peers; the last corroborated by D11), and with seed 1 it is material (the
// micro-changes' ND is at least 10% of the person's ND) in the last two, so the last period, the
// one the dashboard shows, has a shown D7 flag about e005.
// k-anonymity: the simulator makes teams of equal size, and all five people of each team deliver
// in every period, so this file adds one team to the emitted directory before it is replayed:
// `new`, two engineers (n000, n001) who have shipped nothing yet. With k = 3 (min_group_size) the
// analyst sees t00..t02 published and `new` suppressed (fewer than 3 contributors).
import { createHash, randomBytes } from 'node:crypto';
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startServer } from './server.mjs';

const DAY = 86400000;
const EMIT = ['--teams', '3', '--engineers', '5', '--changes-per-day', '1.2', '--seed', '1', '--gamers', 'S1,S4,S3'];
const NEW_TEAM = { id: 'new', people: ['n000', 'n001'] };

const execFileAsync = promisify(execFile);
const sha256 = (s) => createHash('sha256').update(s).digest('hex');
const date = (ms) => new Date(ms).toISOString().slice(0, 10);

// Runs the binary without blocking the event loop (the server's pipes are read meanwhile).
async function run(bin, args) {
  const { stdout } = await execFileAsync(bin, args, { encoding: 'utf8', maxBuffer: 256 << 20 });
  return stdout;
}

// The emitted directory with NEW_TEAM added; and every person id in it.
function withNewTeam(yaml) {
  const out = [];
  const people = [];
  let section = '';
  const lines = yaml.trimEnd().split('\n');
  lines.forEach((line, i) => {
    if (/^\S/.test(line)) section = line;
    out.push(line);
    const person = section === 'people:' && line.match(/^ {2}- \{id: ([^,]+), team: ([^,]+),/);
    if (person) people.push({ id: person[1], team: person[2] });
    const last = i + 1 === lines.length || /^\S/.test(lines[i + 1]);
    if (last && section === 'people:') {
      for (const p of NEW_TEAM.people) out.push(`  - {id: ${p}, team: ${NEW_TEAM.id}, role: product, emails: [${p}@sim.example], github: ${p}}`);
    }
    if (last && section === 'teams:') out.push(`  - {id: ${NEW_TEAM.id}, name: New team}`);
  });
  return { yaml: out.join('\n') + '\n', people: [...people, ...NEW_TEAM.people.map((id) => ({ id, team: NEW_TEAM.id }))] };
}

function configYaml(keys, secret) {
  return `# Written by web/tests/lib/seed.mjs (only the API keys' SHA-256 is kept).
store: {synchronous: normal}
webhooks: {github_secret: "${secret}"}
access:
  min_group_size: 3
  api_keys:
    - {name: reviewer, role: admin, key_sha256: "${sha256(keys.admin)}"}
    - {name: ana, role: analyst, key_sha256: "${sha256(keys.analyst)}"}
    - {name: member-laptop, role: member, person: ${keys.people.member}, key_sha256: "${sha256(keys.member)}"}
    - {name: other-laptop, role: member, person: ${keys.people.other}, key_sha256: "${sha256(keys.other)}"}
`;
}

// Waits until the server's retention pass (at start) has deleted the replayed prompt sketches: the
// world is dated 2026-01..04 and sketches are kept 30 days, as in scripts/run.sh.
async function sketchesGone(url) {
  for (let i = 0; i < 600; i++) {
    const status = await (await fetch(`${url}/api/v1/ingest/status`)).json();
    if (status.store.prompt_sketches === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('seed: the server kept the replayed prompt sketches');
}

// Writes everything into `dir` and returns what the test needs to start the server and log in.
export async function seed({ bin, dir }) {
  const started = Date.now();
  const took = {};
  const step = async (name, fn) => {
    const t = Date.now();
    const result = await fn();
    took[name] = ((Date.now() - t) / 1000).toFixed(1);
    return result;
  };
  mkdirSync(dir, { recursive: true });
  const emitted = join(dir, 'emitted');
  const data = join(dir, 'data');
  const config = join(dir, 'goodhart.yaml');
  const secret = randomBytes(16).toString('hex');

  // The Goodhart table, as the demo writes it (exit 1 when a pass criterion fails: still written).
  // It needs nothing else, so it runs beside the rest.
  mkdirSync(data, { recursive: true });
  const table = step('goodhart-table', () =>
    run(bin, ['simulate', '--seeds', '11', '--runs', '2', '--teams', '2', '--engineers', '4', '--format', 'json', '--out', join(data, 'goodhart-table.json')]).catch((error) => {
      if (error.code !== 1) throw error;
    }),
  );
  table.catch(() => {}); // awaited below; this only keeps an early failure from being unhandled
  await step('emit', () => run(bin, ['simulate', '--emit', emitted, ...EMIT, '--github-secret', secret]));
  const manifest = JSON.parse(readFileSync(join(emitted, 'manifest.json'), 'utf8'));
  const directory = withNewTeam(readFileSync(join(emitted, 'directory.yaml'), 'utf8'));
  writeFileSync(join(emitted, 'directory.yaml'), directory.yaml);
  const gamers = manifest.gamers.map((g) => g.person);
  const member = manifest.gamers.find((g) => g.strategy === 'S4').person;
  const other = directory.people.find((p) => !gamers.includes(p.id) && p.team !== NEW_TEAM.id);
  const teamOf = (id) => directory.people.find((p) => p.id === id).team;
  const key = () => `ghk_${randomBytes(24).toString('hex')}`;
  const keys = { admin: key(), analyst: key(), member: key(), other: key() };
  writeFileSync(config, configYaml({ ...keys, people: { member, other: other.id } }, secret));

  // The wire: replay against the real server, then restart it so its retention pass has run.
  await step('replay', async () => {
    const server = await startServer({ bin, data, config });
    try {
      const replayed = JSON.parse(await run(bin, ['replay', emitted, '--url', server.url, '--api-key', keys.admin, '--format', 'json']));
      const lost = Object.values(replayed.sent).some((kind) => kind.failed || kind.rejected);
      if (replayed.errors.length || lost) throw new Error(`seed: replay: ${JSON.stringify(replayed)}`);
    } finally {
      await server.stop();
    }
    const restarted = await startServer({ bin, data, config });
    try {
      await sketchesGone(restarted.url);
    } finally {
      await restarted.stop();
    }
  });
  const local = ['--data', data, '--config', config];
  await step('import-git', async () => {
    for (const repo of manifest.git) await run(bin, ['import-git', '--repo', join(emitted, repo.path), ...local]);
  });
  const ends = manifest.calendar.detect_period_ends;
  await step('detect', async () => {
    for (const end of ends) await run(bin, ['detect', '--period-end', end, '--format', 'json', ...local]);
  });
  await table;
  console.log(`seed: ${((Date.now() - started) / 1000).toFixed(1)} s (${Object.entries(took).map(([k, v]) => `${k} ${v} s`).join(', ')})`);

  // The dashboard shows the last test period: the four weeks before the last detection.
  const end = Date.parse(ends.at(-1));
  return {
    data,
    config,
    keys,
    period: { from: date(end - 28 * DAY), to: date(end - DAY) },
    people: { member: { id: member, team: teamOf(member) }, other: { id: other.id, team: other.team } },
    names: directory.people.map((p) => p.id),
    teams: [...new Set(directory.people.map((p) => p.team))],
  };
}
