#!/usr/bin/env python3
"""Writes the event files of the report scenarios (tests/scenarios/<name>/events.jsonl).

The events are goodhart's delivery JSONL ({"kind", "record"} lines, the format of
`goodhart store export --delivery`), plus canonical usage JSONL where a scenario needs AI usage.
This script only documents how the files were made and lets them be re-made; the test reads the
checked-in files, and expected.json in each folder was worked out by hand (see README.md).

Run from anywhere: python3 tests/scenarios/author.py
"""
import hashlib
import json
import os
from datetime import datetime, timezone

HERE = os.path.dirname(os.path.abspath(__file__))
DAY_MS = 86_400_000
HOUR_MS = 3_600_000
MINUTE_MS = 60_000
# Day 0 is Monday 2026-01-05 10:00 UTC, inside 2026-Q1 (the reports' period).
DAY0 = int(datetime(2026, 1, 5, 10, tzinfo=timezone.utc).timestamp() * 1000)


def day(d):
    return DAY0 + int(d * DAY_MS)


class Scenario:
    """Mirrors the ND engine's test builder (analytics/nd/internal/testing_scenario.h): one main
    branch of the monorepo acme/mono, commits with one distinct fingerprint per meaningful line."""

    def __init__(self):
        self.lines = []
        self.usage = []
        self.commits = {}
        self.changes = {}
        self.head = None
        self.count = 0
        self.next_hash = 1
        self.reviews = 0
        self._add("alice", day(-30), [], [])  # the root commit

    def file(self, path, lines, generated=False):
        f = {"path": path, "added": lines}
        if generated:
            f["exclusion"] = "generated"
        else:
            f["meaningful"] = lines
            f["added_line_hashes"] = list(range(self.next_hash, self.next_hash + lines))
            self.next_hash += lines
        return f

    def _add(self, author, at, files, parents, patch_id="", move_head=True):
        self.count += 1
        sha = hashlib.sha1(f"commit {self.count}".encode()).hexdigest()  # distinct prefixes
        commit = {
            "ref": {"source": "git", "raw_id": sha},
            "repo": "acme/mono",
            "sha": sha,
            "parents": parents,
            "author_name": author,
            "author_email": f"{author}@example.com",
            "committer_email": f"{author}@example.com",
            "authored_unix_ms": at,
            "committed_unix_ms": at,
            "subject": f"commit {self.count}",
            "files": files,
            "patch_id": patch_id or f"pid-{self.count}",
            "meaningful_lines": sum(f.get("meaningful", 0) for f in files),
        }
        self.commits[sha] = commit
        self.lines.append({"kind": "commit", "record": commit})
        if move_head:
            self.head = sha
        return sha

    def squash_pr(self, number, author, merged, files, patch_id=""):
        sha = self._add(author, merged, files, [self.head], patch_id)
        self._change(number, author, merged, sha, f"head-{number}", 1)
        return sha

    def rebase_pr(self, number, author, merged, commits):
        shas = [self._add(author, merged, files, [self.head]) for files in commits]
        self._change(number, author, merged, shas[-1], f"head-{number}", len(shas))
        return shas

    def revert(self, author, at, target):
        undo = self.commits[target]
        files = [{"path": f["path"], "deleted": f["added"], "meaningful": f.get("meaningful", 0),
                  "removed_line_hashes": f.get("added_line_hashes", [])} for f in undo["files"]]
        sha = self._add(author, at, files, [self.head])
        self.commits[sha]["reverts_sha"] = target[:10]
        self.commits[sha]["subject"] = f'Revert "{undo["subject"]}"'
        return sha

    def rewrite(self, number, author, at, target, path, lines):
        f = self.file(path, lines)
        for old in self.commits[target]["files"]:
            if old["path"] == path:
                f["removed_line_hashes"] = old["added_line_hashes"][:lines]
        f["deleted"] = lines
        return self.squash_pr(number, author, at, [f])

    def _change(self, number, author, merged, merge_sha, head_sha, commit_count):
        change = {
            "ref": {"source": "github", "raw_id": str(number)},
            "id": f"github:acme/mono#{number}",
            "repo": "acme/mono",
            "number": number,
            "author": author,
            "author_type": "User",
            "title": f"change {number}",
            "state": "merged",
            "base_ref": "main",
            "head_ref": f"branch-{number}",
            "head_sha": head_sha,
            "merge_sha": merge_sha,
            "merged": True,
            "merged_by": author,
            "created_unix_ms": merged - DAY_MS,
            "merged_unix_ms": merged,
            "commit_count": commit_count,
        }
        self.changes[number] = change
        self.lines.append({"kind": "change", "record": change})

    def approve(self, number, reviewer, at, state="approved"):
        self.reviews += 1
        change = self.changes[number]
        self.lines.append({"kind": "review", "record": {
            "ref": {"source": "github", "raw_id": f"review-{self.reviews}"},
            "change_id": change["id"], "reviewer": reviewer, "state": state,
            "commit_sha": change["head_sha"], "submitted_unix_ms": at}})

    def deploy(self, id, service, finished, sha="", environment="production", digest=""):
        sha = sha or self.head
        self.lines.append({"kind": "deployment", "record": {
            "ref": {"source": "api", "raw_id": id},
            "id": id, "service": service, "environment": environment,
            "artifact_digest": digest or f"sha256:{sha}", "commit_sha": sha,
            "pipeline_id": f"pipeline-{id}", "repo": "acme/mono", "status": "success",
            "started_unix_ms": finished - 10 * MINUTE_MS, "finished_unix_ms": finished}})
        return sha

    def incident(self, id, severity, began, caused_by, service="payments-api"):
        self.lines.append({"kind": "incident", "record": {
            "ref": {"source": "api", "raw_id": id},
            "id": id, "service": service, "severity": severity, "started_unix_ms": began,
            "caused_by_deployment": caused_by}})

    def model_call(self, key, actor, at, input_tokens, output_tokens, cost_usd, session):
        self.usage.append({
            "event_key": key, "source": "canonical", "kind": "model_call",
            "time": datetime.fromtimestamp(at / 1000, timezone.utc).strftime(
                "%Y-%m-%dT%H:%M:%S.000Z"),
            "actor": actor, "actor_kind": "email", "session_id": session, "tool": "claude-code",
            "provider": "anthropic", "model": "claude-sonnet-4-5",
            "tokens": {"input_uncached": input_tokens, "output": output_tokens},
            "request_count": 1, "reported_cost_micros": int(round(cost_usd * 1e6))})

    def write(self, name, description):
        folder = os.path.join(HERE, name)
        os.makedirs(folder, exist_ok=True)
        with open(os.path.join(folder, "events.jsonl"), "w") as out:
            for line in self.lines:
                out.write(json.dumps(line, separators=(",", ":")) + "\n")
        if self.usage:
            with open(os.path.join(folder, "usage.jsonl"), "w") as out:
                for line in self.usage:
                    out.write(json.dumps(line, separators=(",", ":")) + "\n")
        with open(os.path.join(folder, "scenario.json"), "w") as out:
            json.dump({"description": description, "from": "2026-01-01", "to": "2026-03-31",
                       "as_of": "2026-07-01T00:00:00Z"}, out, indent=2)
            out.write("\n")


def deploy_splitting():
    s = Scenario()
    shas = s.rebase_pr(1, "alice", day(0), [[s.file("services/payments/a.go", 20)],
                                             [s.file("services/payments/b.go", 20)],
                                             [s.file("services/payments/c.go", 20)]])
    s.commits[shas[2]]["ai_markers"] = [{"tool": "claude-code", "kind": "trailer",
                                         "raw": "Co-Authored-By: Claude <noreply@anthropic.com>"}]
    s.approve(1, "carol", day(-0.5))
    s.deploy("d1", "payments-api", day(0) + HOUR_MS, shas[1])
    s.deploy("d2", "payments-api", day(0) + 2 * HOUR_MS, shas[2])
    # Alice's AI usage: two sessions, $12 in all.
    s.model_call("u1", "alice@example.com", day(-1), 400_000, 20_000, 7.50, "sess-1")
    s.model_call("u2", "alice@example.com", day(-0.8), 200_000, 10_000, 4.50, "sess-2")
    s.write("deploy-splitting", "One PR of 60 lines (three rebased commits) shipped over two "
            "deployments earns what one deployment would: 0.5 ND; $12 of usage gives $24 per ND, and "
            "the Claude trailer on its last commit makes it AI-assisted (E1).")


def redeploy_same_artifact():
    s = Scenario()
    sha = s.squash_pr(1, "alice", day(0), [s.file("services/payments/a.go", 60)])
    s.approve(1, "carol", day(-0.5))
    s.deploy("d1", "payments-api", day(0) + HOUR_MS)
    s.deploy("d1-fanout", "payments-api", day(0) + HOUR_MS + 5 * MINUTE_MS)
    s.deploy("d1-again", "payments-api", day(3), sha)
    s.deploy("d1-eu", "payments-api", day(0) + 2 * HOUR_MS, sha, "prod-eu")
    s.write("redeploy-same-artifact", "The same artifact deployed again (pipeline fan-out, three "
            "days later, a second region) adds no ND and one deployment day.")


def noop_deploy():
    s = Scenario()
    s.squash_pr(1, "alice", day(0), [s.file("services/payments/a.go", 60)])
    s.approve(1, "carol", day(-0.5))
    s.deploy("d1", "payments-api", day(0) + HOUR_MS)
    s.squash_pr(2, "alice", day(2), [s.file("services/payments/api.pb.go", 900, generated=True)])
    s.approve(2, "carol", day(1.5))
    s.deploy("d2", "payments-api", day(2) + HOUR_MS)
    s.deploy("d3", "payments-api", day(3), s.head, digest="sha256:rebuild")
    s.write("noop-deploy", "A deployment of generated code only and a rebuild of the running "
            "commit are no-ops: no ND, no deployment days.")


def pr_splitting():
    s = Scenario()
    s.squash_pr(1, "alice", day(4), [s.file("services/payments/a.go", 70),
                                     s.file("services/payments/b.go", 30)])
    s.approve(1, "carol", day(3.5))
    s.deploy("d1", "payments-api", day(4) + HOUR_MS)
    s.squash_pr(2, "alice", day(8), [s.file("services/payments/b.go", 40),
                                     s.file("services/payments/c.go", 60)])
    s.approve(2, "carol", day(7.5))
    s.deploy("d2", "payments-api", day(8) + HOUR_MS)
    s.write("pr-splitting", "200 lines split into two PRs of 100 that share a file, two working "
            "days apart, are one logical change: 1 ND, not 2 x 0.83.")


def revert_and_reapply():
    s = Scenario()
    first = s.squash_pr(1, "alice", day(0), [s.file("services/payments/a.go", 60)], "pid-feature")
    s.approve(1, "carol", day(-0.5))
    s.deploy("d1", "payments-api", day(0) + HOUR_MS)
    s.revert("alice", day(1), first)
    s.deploy("d2", "payments-api", day(1) + HOUR_MS)
    s.squash_pr(2, "alice", day(2), [s.file("services/payments/a.go", 60)], "pid-feature")
    s.approve(2, "carol", day(1.5))
    s.deploy("d3", "payments-api", day(2) + HOUR_MS)
    s.write("revert-and-reapply", "A change reverted and re-applied unchanged is credited once: "
            "0.5 ND, and the revert counts as a failure of the first delivery.")


def self_merge():
    s = Scenario()
    s.squash_pr(1, "alice", day(4), [s.file("services/payments/a.go", 60)])
    s.approve(1, "alice", day(3.9))
    s.squash_pr(2, "bob", day(4.1), [s.file("services/payments/b.go", 60)])
    s.approve(2, "carol", day(3.95))
    s.deploy("d1", "payments-api", day(4.5))
    s.write("self-merge", "A PR approved only by its author earns nothing; the independently "
            "reviewed one next to it earns 0.5 ND.")


def rollback():
    s = Scenario()
    s.squash_pr(1, "alice", day(0), [s.file("services/payments/a.go", 60)])
    s.approve(1, "carol", day(-0.5))
    good = s.deploy("d1", "payments-api", day(0) + HOUR_MS)
    s.squash_pr(2, "bob", day(1), [s.file("services/payments/b.go", 60)])
    s.approve(2, "carol", day(0.5))
    s.deploy("d2", "payments-api", day(1) + HOUR_MS)
    s.deploy("d3", "payments-api", day(3), good)
    s.write("rollback", "A rollback to an older artifact fails the superseded deployment: bob's "
            "change earns nothing and the change failure rate is 1 of 2.")


def incident_failure():
    s = Scenario()
    s.squash_pr(1, "alice", day(0), [s.file("services/payments/a.go", 60)])
    s.approve(1, "carol", day(-0.5))
    s.deploy("d1", "payments-api", day(0) + HOUR_MS)
    s.squash_pr(2, "bob", day(1), [s.file("services/payments/b.go", 60)])
    s.approve(2, "carol", day(0.5))
    s.deploy("d2", "payments-api", day(1) + HOUR_MS)
    s.incident("INC-1", "SEV2", day(2), "d1")
    s.write("incident-failure", "A Sev2 incident caused by d1 fails the only change d1 shipped: "
            "alice earns nothing, bob 0.5 ND.")


def rewritten_by_author():
    s = Scenario()
    sha = s.squash_pr(1, "alice", day(0), [s.file("services/payments/a.go", 40)])
    s.approve(1, "carol", day(-0.5))
    s.deploy("d1", "payments-api", day(0) + HOUR_MS)
    s.rewrite(2, "alice", day(10), sha, "services/payments/a.go", 10)
    s.approve(2, "carol", day(9.5))
    s.deploy("d2", "payments-api", day(10) + HOUR_MS)
    s.write("rewritten-by-author", "Alice rewrites 10 of her 40 new lines ten days later: the "
            "first change keeps D = 0.75 of its credit (0.25 ND).")


def monorepo_two_services():
    s = Scenario()
    s.squash_pr(1, "alice", day(2), [s.file("services/payments/p.go", 60),
                                     s.file("services/search/s.go", 120)])
    s.approve(1, "carol", day(1.5))
    s.squash_pr(2, "dave", day(2.5), [s.file("services/search/q.go", 30)])
    s.approve(2, "erin", day(2.4))
    s.deploy("pay", "payments-api", day(3))
    s.deploy("search", "search-api", day(3))
    s.write("monorepo-two-services", "One PR touching two services of a monorepo is credited per "
            "service on each service's own deployment; a PR to one service is not part of the "
            "other's deployment.")


if __name__ == "__main__":
    deploy_splitting()
    redeploy_same_artifact()
    noop_deploy()
    pr_splitting()
    revert_and_reapply()
    self_merge()
    rollback()
    incident_failure()
    rewritten_by_author()
    monorepo_two_services()
