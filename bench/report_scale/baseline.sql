-- The plain-SQL baseline of the report-at-scale benchmark (run.sh): the organisation's and each
-- team's report numbers computed over the raw tables baseline_writer.h writes, as Apache DevLake
-- (MySQL/PostgreSQL views over its domain tables) and Google's Four Keys (BigQuery views over
-- changes, deployments and incidents) do it. Parameters: :from and :to, the period in Unix ms.

-- Tokens and cost over the period: the organisation, then per team (raw events joined to people).
SELECT 'org_usage', count(*),
       sum(input_tokens + cache_read_tokens + cache_write_tokens + output_tokens),
       sum(cost_micros) / 1e6
FROM usage_events WHERE ts_ms >= :from AND ts_ms < :to;

CREATE TEMP TABLE team_usage AS
SELECT p.team AS team,
       sum(u.input_tokens + u.cache_read_tokens + u.cache_write_tokens + u.output_tokens) AS tokens,
       sum(u.cost_micros) AS cost_micros
FROM usage_events u JOIN people p ON p.email = u.actor
WHERE u.ts_ms >= :from AND u.ts_ms < :to
GROUP BY p.team;
SELECT 'teams_with_usage', count(*), sum(tokens) FROM team_usage;

-- Deployment frequency: successful production deployments per day (Four Keys' deployments view).
CREATE TEMP TABLE deploy_days AS
SELECT date(finished_ms / 1000, 'unixepoch') AS day, count(*) AS deployments
FROM deployments
WHERE environment = 'production' AND status = 'success' AND finished_ms >= :from
  AND finished_ms < :to
GROUP BY day;
SELECT 'deployments', count(*), sum(deployments), avg(deployments) FROM deploy_days;

-- Lead time for changes: median of deployment finish - the change's first commit, over the changes
-- the period's deployments shipped (DevLake's project_pr_metrics.pr_cycle_time path).
CREATE TEMP TABLE lead AS
SELECT d.finished_ms - c.first_commit_ms AS ms, s.team AS team
FROM deployments d
JOIN deployment_changes dc ON dc.deployment_id = d.id
JOIN changes c ON c.id = dc.change_id
JOIN services s ON s.id = d.service
WHERE d.environment = 'production' AND d.status = 'success' AND d.finished_ms >= :from
  AND d.finished_ms < :to;
SELECT 'lead_time_hours_median', (SELECT count(*) FROM lead),
       (SELECT ms FROM lead ORDER BY ms LIMIT 1 OFFSET (SELECT count(*) / 2 FROM lead)) / 3.6e6;

-- Change failure rate: deployments with an incident / deployments; time to restore: median.
SELECT 'change_failure_rate',
       count(DISTINCT i.caused_by_deployment) * 1.0 / count(DISTINCT d.id)
FROM deployments d LEFT JOIN incidents i ON i.caused_by_deployment = d.id
WHERE d.environment = 'production' AND d.status = 'success' AND d.finished_ms >= :from
  AND d.finished_ms < :to;
SELECT 'restore_hours_median',
       (SELECT resolved_ms - started_ms FROM incidents WHERE started_ms >= :from
          AND started_ms < :to ORDER BY 1 LIMIT 1 OFFSET
          (SELECT count(*) / 2 FROM incidents WHERE started_ms >= :from AND started_ms < :to))
       / 3.6e6;

-- Per team: deployments, median lead time, cost per deployment.
CREATE TEMP TABLE team_deployments AS
SELECT s.team AS team, count(*) AS deployments
FROM deployments d JOIN services s ON s.id = d.service
WHERE d.environment = 'production' AND d.status = 'success' AND d.finished_ms >= :from
  AND d.finished_ms < :to
GROUP BY s.team;
CREATE TEMP TABLE team_lead AS
SELECT team, ms, row_number() OVER (PARTITION BY team ORDER BY ms) AS k,
       count(*) OVER (PARTITION BY team) AS n
FROM lead;
SELECT 'teams', count(*), sum(td.deployments), sum(tu.cost_micros * 1.0 / td.deployments) / 1e6,
       avg(tl.ms) / 3.6e6
FROM team_deployments td
LEFT JOIN team_usage tu ON tu.team = td.team
LEFT JOIN (SELECT team, ms FROM team_lead WHERE k = n / 2 + 1) tl ON tl.team = td.team;

-- Cost per deployment, organisation.
SELECT 'cost_per_deployment',
       (SELECT sum(cost_micros) FROM team_usage) / 1e6 / (SELECT sum(deployments) FROM deploy_days);
