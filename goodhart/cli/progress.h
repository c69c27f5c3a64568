// Progress: a one-line progress display for long commands, shown only when stderr is a terminal,
// so piped and scripted runs stay quiet.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>

namespace goodhart::cli {

// The line reads "<label>: <item>/<items> <name>  <records> records  <rate>/s  <elapsed>s"
// ("<item> <name>" when the number of items is unknown); a command whose steps count no records
// (a report's phases) shows no record count. One command thread drives it; with `tick` set, a
// background thread also redraws the line that often, so the seconds keep counting through a long
// step that reports nothing (a report's crediting).
class Progress {
 public:
  // `items` is how many units of work (files, runs, phases) there are; 0 when unknown.
  Progress(std::string label, int64_t items,
           std::chrono::milliseconds tick = std::chrono::milliseconds::zero());
  ~Progress();
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;
  void StartItem(const std::string& name);
  void Add(int64_t records);
  void Finish();  // clears the line; safe to call twice

 private:
  void Draw(bool force);  // mu_ held
  void Tick(std::chrono::milliseconds every);
  std::string label_;
  int64_t items_ = 0, item_ = 0, records_ = 0;
  std::string current_;
  bool enabled_ = false, finished_ = false;
  std::chrono::steady_clock::time_point start_, last_draw_;
  std::mutex mu_;
  std::condition_variable finished_cv_;
  std::thread ticker_;
};

}  // namespace goodhart::cli
