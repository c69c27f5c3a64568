#include "goodhart/simulate/emit/prompt_text.h"

#include <map>

#include "goodhart/simulate/rng.h"

namespace goodhart::simulate::emit {
namespace {

constexpr const char* kWords[] = {
    "refactor", "the",        "payment",  "retry",       "handler",  "so",         "that",
    "it",       "backs",      "off",      "when",        "upstream", "returns",    "errors",
    "add",      "tests",      "for",      "edge",        "cases",    "in",         "parser",
    "explain",  "why",        "this",     "query",       "is",       "slow",       "and",
    "suggest",  "an",         "index",    "migrate",     "config",   "loader",     "to",
    "yaml",     "keep",       "defaults", "fix",         "flaky",    "timeout",    "ci",
    "rename",   "field",      "across",   "service",     "update",   "docs",       "after",
    "change",   "write",      "a",        "benchmark",   "cache",    "layer",      "with",
    "eviction", "metrics",    "review",   "diff",        "spot",     "race",       "condition",
    "worker",   "pool",       "split",    "function",    "into",     "smaller",    "helpers",
    "validate", "input",      "reject",   "negative",    "amounts",  "log",        "context",
    "on",       "failure",    "trace",    "request",     "path",     "through",    "gateway",
    "remove",   "dead",       "code",     "old",         "feature",  "flag",       "schema",
    "add",      "column",     "backfill", "job",         "check",    "null",       "handling",
    "endpoint", "pagination", "cursor",   "limit",       "sort",     "stable",     "order",
    "client",   "library",    "bump",     "version",     "pin",      "dependency", "lockfile",
    "make",     "build",      "faster",   "parallel",    "steps",    "reuse",      "artifacts",
    "describe", "api",        "contract", "openapi",     "examples", "handle",     "unicode",
    "names",    "normalise",  "emails",   "lowercase",   "dedupe",   "events",     "by",
    "key",      "idempotent", "writes",   "transaction", "rollback", "partial",    "batch",
};
constexpr const char* kRepeatWords[] = {"again", "please", "now",    "retry", "continue",
                                        "rerun", "quick",  "faster", "fix",   "more"};

std::string FreshText(uint64_t seed) {
  Rng r(seed);
  const int n = 28 + r.Below(13);
  std::string text;
  for (int i = 0; i < n; ++i) {
    if (i > 0)
      text += ' ';
    text += kWords[r.Below(static_cast<int>(std::size(kWords)))];
  }
  return text;
}

int EqualSlots(const model::PromptSketch& a, const model::PromptSketch& b) {
  int equal = 0;
  for (size_t i = 0; i < a.minhash.size(); ++i)
    equal += a.minhash[i] == b.minhash[i] ? 1 : 0;
  return equal;
}

}  // namespace

std::vector<std::string> PromptTexts(const Activity& activity) {
  std::vector<std::string> texts(activity.sketches.size());
  // Fresh prompts of each day so far, as indices: a repeat refers to one of them.
  std::map<int64_t, std::vector<size_t>> fresh_by_day;
  for (size_t i = 0; i < activity.sketches.size(); ++i) {
    const store::PromptSketchRow& row = activity.sketches[i];
    std::vector<size_t>& fresh = fresh_by_day[row.day];
    size_t base = texts.size();
    int best = 0;
    for (size_t j : fresh) {
      int equal = EqualSlots(row.sketch, activity.sketches[j].sketch);
      if (equal > best) {
        best = equal;
        base = j;
      }
    }
    // A repeat keeps 120 of 128 slots; two independent prompts share almost none.
    if (best >= 96) {
      Rng r(Mix64(row.sketch.simhash ^ (i + 1)));
      texts[i] =
          texts[base] + " " + kRepeatWords[r.Below(static_cast<int>(std::size(kRepeatWords)))];
    } else {
      texts[i] = FreshText(Mix64(row.sketch.simhash ^ row.sketch.minhash[0]));
      fresh.push_back(i);
    }
  }
  return texts;
}

}  // namespace goodhart::simulate::emit
