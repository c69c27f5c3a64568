// Progress: a one-line progress display for long commands, shown only when stderr is a terminal,
// so piped and scripted runs stay quiet.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace goodhart::cli {

// Not thread-safe: one command thread drives it. The line reads
// "<label>: <item>/<items> <name>  <records> records  <rate>/s  <elapsed>s"; a command whose steps
// count no records (a report's phases) shows no record count.
class Progress {
 public:
  // `items` is how many units of work (files, runs, phases) there are; 0 when unknown.
  Progress(std::string label, int64_t items);
  ~Progress();
  void StartItem(const std::string& name);
  void Add(int64_t records);
  void Finish();  // clears the line; safe to call twice

 private:
  void Draw(bool force);
  std::string label_;
  int64_t items_ = 0, item_ = 0, records_ = 0;
  std::string current_;
  bool enabled_ = false, finished_ = false;
  std::chrono::steady_clock::time_point start_, last_draw_;
};

}  // namespace goodhart::cli
