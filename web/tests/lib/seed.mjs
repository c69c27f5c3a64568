// Seeds a goodhart data directory for the browser test: the one place that decides where the
// dashboard's data comes from. Today it writes a small organisation's delivery and usage records
// and ingests them with the real CLI (`directory import`, `ingest`, `detect`), then writes the
// Goodhart table with `goodhart simulate --format json`. To seed from the simulator instead
// (`goodhart simulate --emit DIR`, then `goodhart replay DIR --url` against the running server,
// `import-git` of DIR/git/*.git and `detect`), change this file only: the test needs what seed()
// returns, plus a shown D7 or D10 flag about a person with a member key (the disposition test) and
// one team the analyst may see and one it may not.
//
// The organisation (k = 3 for the analyst): payments (6 people), search (4), growth (2), two
// services of the monorepo acme/mono, May and June 2026. Everyone ships reviewed changes of
// 40-80 meaningful lines; in June alice merges 12 changes without approval (D9a) and the
// payments-prod pipeline redeploys its running artifact 12 times (D6); pat floods micro-changes of
// 10 lines in May and June (D7, the flag whose confirmation lowers ND*). June has AI usage from
// Claude Code (provider-reported cost) and Codex (cost from the price table).
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const DAY = 86400000;
const HOUR = 3600000;
const MAY4 = Date.parse('2026-05-04T00:00:00Z'); // a Monday: the detector periods are Mon-Sun x 4
const JUNE1 = Date.parse('2026-06-01T00:00:00Z');

export const PERIOD = { from: '2026-06-01', to: '2026-06-28' };
export const DETECT_PERIOD_END = '2026-06-29';

const TEAMS = {
  payments: ['alice', 'bob', 'carol', 'dave', 'erin', 'frank'],
  search: ['gina', 'hugo', 'pat', 'quinn'],
  growth: ['ivan', 'judy'],
};
const SERVICE = { payments: 'payments-api', search: 'search-api', growth: 'search-api' };
const PATH = { 'payments-api': 'services/payments', 'search-api': 'services/search' };

export const KEYS = {
  admin: 'ghk_dashboard_reviewer',
  analyst: 'ghk_dashboard_analyst',
  pat: 'ghk_dashboard_pat',
  alice: 'ghk_dashboard_alice',
};

const sha256 = (s) => createHash('sha256').update(s).digest('hex');

function directoryYaml() {
  const lines = ['teams:'];
  for (const team of Object.keys(TEAMS)) lines.push(`  - {id: ${team}, name: ${team[0].toUpperCase()}${team.slice(1)}}`);
  lines.push('people:');
  for (const [team, people] of Object.entries(TEAMS)) {
    for (const p of people) lines.push(`  - {id: ${p}, team: ${team}, emails: [${p}@example.com], github: ${p}}`);
  }
  lines.push('services:');
  lines.push('  - {id: payments-api, team: payments, repo: acme/mono, paths: ["services/payments/**"], production_environments: [production], family: go-api}');
  lines.push('  - {id: search-api, team: search, repo: acme/mono, paths: ["services/search/**"], production_environments: [production], family: go-api}');
  lines.push('bots: ["dependabot[bot]"]');
  return lines.join('\n') + '\n';
}

function configYaml() {
  return `access:
  min_group_size: 3
  api_keys:
    - {name: reviewer, role: admin, key_sha256: "${sha256(KEYS.admin)}"}
    - {name: ana, role: analyst, key_sha256: "${sha256(KEYS.analyst)}"}
    - {name: pat-laptop, role: member, person: pat, key_sha256: "${sha256(KEYS.pat)}"}
    - {name: alice-laptop, role: member, person: alice, key_sha256: "${sha256(KEYS.alice)}"}
`;
}

// Working days of the four-week period starting at `start` (a Monday).
function workingDays(start) {
  const days = [];
  for (let d = 0; d < 28; d++) if (d % 7 < 5) days.push(start + d * DAY);
  return days;
}

// Every merged change of the organisation, by merge time.
function plannedChanges() {
  const planned = [];
  for (const start of [MAY4, JUNE1]) {
    const days = workingDays(start);
    Object.entries(TEAMS).forEach(([team, people], ti) => {
      people.forEach((who, pi) => {
        const reviewer = people[(pi + 1) % people.length];
        const micro = who === 'pat';
        const bypass = who === 'alice' && start === JUNE1;
        const count = micro ? 24 : bypass ? 12 : team === 'growth' ? 8 : 21;
        for (let i = 0; i < count; i++) {
          const at = days[i % days.length] + (9 + ti) * HOUR + pi * 7 * 60000 + Math.floor(i / days.length) * 4 * HOUR;
          planned.push({ who, team, reviewer: bypass ? null : reviewer, at, lines: micro ? 10 : 40 + ((i * 7 + pi * 13) % 41) });
        }
      });
    });
  }
  return planned.sort((a, b) => a.at - b.at || a.who.localeCompare(b.who));
}

function deliveryJsonl() {
  const out = [];
  const line = (kind, record) => out.push(JSON.stringify({ kind, record }));
  let parent = '0'.repeat(39) + '1';
  line('commit', { repo: 'acme/mono', sha: parent, committed_unix_ms: MAY4 - 60 * DAY });
  let hash = 1;
  let n = 0;
  let lastPaymentsSha = parent;
  for (const c of plannedChanges()) {
    n += 1;
    const service = SERVICE[c.team];
    const sha = (1000 + n).toString(16).padStart(40, '0');
    const hashes = Array.from({ length: c.lines }, () => hash++);
    line('commit', {
      repo: 'acme/mono', sha, parents: [parent], author_email: `${c.who}@example.com`,
      authored_unix_ms: c.at - 2 * HOUR, committed_unix_ms: c.at - 2 * HOUR, patch_id: `p${n}`,
      meaningful_lines: c.lines,
      files: [{ path: `${PATH[service]}/${c.who}/f${n}.go`, added: c.lines, meaningful: c.lines, added_line_hashes: hashes }],
    });
    const id = `github:acme/mono#${n}`;
    line('change', {
      id, repo: 'acme/mono', number: n, title: `change ${n} by ${c.who}`, author: c.who, state: 'merged', merged: true,
      head_sha: sha, merge_sha: sha, created_unix_ms: c.at - DAY, merged_unix_ms: c.at,
    });
    if (c.reviewer) {
      line('review', {
        ref: { raw_id: `r${n}` }, change_id: id, reviewer: c.reviewer, state: 'approved', commit_sha: sha,
        submitted_unix_ms: c.at - HOUR,
      });
    }
    line('deployment', {
      id: `d${n}`, service, environment: 'production', repo: 'acme/mono', commit_sha: sha,
      artifact_digest: `sha256:${sha}`, pipeline_id: `${service.split('-')[0]}-prod`, status: 'success',
      started_unix_ms: c.at + HOUR, finished_unix_ms: c.at + HOUR + 20 * 60000,
    });
    parent = sha;
    if (service === 'payments-api') lastPaymentsSha = sha;
  }
  for (let i = 0; i < 12; i++) {
    // The running artifact of payments-api, redeployed after the last June change.
    const at = JUNE1 + 26 * DAY + 20 * HOUR + i * 10 * 60000;
    line('deployment', {
      id: `re${i}`, service: 'payments-api', environment: 'production', repo: 'acme/mono', commit_sha: lastPaymentsSha,
      artifact_digest: `sha256:${lastPaymentsSha}`, pipeline_id: 'payments-prod', status: 'success',
      started_unix_ms: at, finished_unix_ms: at + 5 * 60000,
    });
  }
  return out.join('\n') + '\n';
}

function usageJsonl() {
  const out = [];
  let n = 0;
  for (const day of workingDays(JUNE1)) {
    for (const [team, people] of Object.entries(TEAMS)) {
      for (const who of people) {
        if (who === 'pat') continue;
        n += 1;
        const time = new Date(day + 10 * HOUR).toISOString();
        out.push(JSON.stringify({
          event_key: `u${n}`, source: 'canonical', kind: 'model_call', time, actor: `${who}@example.com`,
          actor_kind: 'email', session_id: `s-${who}-${n}`, tool: 'claude-code', provider: 'anthropic',
          model: 'claude-sonnet-4-5', tokens: { input_uncached: 90000 + n * 10, output: 6000 }, request_count: 12,
          reported_cost_micros: 450000 + (team === 'growth' ? 250000 : 0),
        }));
        if (team === 'payments') {
          n += 1;
          out.push(JSON.stringify({
            event_key: `u${n}`, source: 'canonical', kind: 'model_call', time, actor: `${who}@example.com`,
            actor_kind: 'email', session_id: `c-${who}-${n}`, tool: 'codex', provider: 'openai', model: 'gpt-4.1',
            tokens: { input_uncached: 50000, output: 4000 }, request_count: 5,
          }));
        }
      }
    }
  }
  return out.join('\n') + '\n';
}

function run(bin, args) {
  return execFileSync(bin, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

// Writes everything into `dir` and returns what the test needs to start the server and log in.
export function seed({ bin, dir }) {
  mkdirSync(dir, { recursive: true });
  const data = join(dir, 'data');
  const config = join(dir, 'goodhart.yaml');
  writeFileSync(config, configYaml());
  writeFileSync(join(dir, 'directory.yaml'), directoryYaml());
  writeFileSync(join(dir, 'events.jsonl'), deliveryJsonl());
  writeFileSync(join(dir, 'usage.jsonl'), usageJsonl());
  const common = ['--data', data, '--config', config];
  run(bin, ['directory', 'import', join(dir, 'directory.yaml'), ...common]);
  run(bin, ['ingest', join(dir, 'events.jsonl'), join(dir, 'usage.jsonl'), ...common]);
  run(bin, ['detect', '--period-end', DETECT_PERIOD_END, '--format', 'json', ...common]);
  // The Goodhart table, as the demo writes it (exit 1 when a pass criterion fails: still written).
  const table = join(data, 'goodhart-table.json');
  try {
    run(bin, ['simulate', '--seeds', '11', '--runs', '2', '--teams', '2', '--engineers', '4', '--format', 'json', '--out', table]);
  } catch (error) {
    if (error.status !== 1) throw error;
  }
  return { data, config, keys: KEYS, period: PERIOD };
}
