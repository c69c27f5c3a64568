#include "goodhart/cli/progress.h"

#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>
#include <utility>

namespace goodhart::cli {

Progress::Progress(std::string label, int64_t items, std::chrono::milliseconds tick)
    : label_(std::move(label)),
      items_(items),
      enabled_(::isatty(STDERR_FILENO) == 1),
      start_(std::chrono::steady_clock::now()) {
  if (enabled_ && tick > std::chrono::milliseconds::zero())
    ticker_ = std::thread([this, tick] { Tick(tick); });
}

Progress::~Progress() { Finish(); }

void Progress::StartItem(const std::string& name) {
  std::lock_guard lock(mu_);
  ++item_;
  current_ = name.size() > 40 ? "..." + name.substr(name.size() - 37) : name;
  Draw(true);
}

void Progress::Add(int64_t records) {
  std::lock_guard lock(mu_);
  records_ += records;
  Draw(false);
}

void Progress::Tick(std::chrono::milliseconds every) {
  std::unique_lock lock(mu_);
  while (!finished_cv_.wait_for(lock, every, [this] { return finished_; })) {
    if (item_ > 0)
      Draw(true);
  }
}

void Progress::Draw(bool force) {
  if (!enabled_ || finished_)
    return;
  auto now = std::chrono::steady_clock::now();
  if (!force && now - last_draw_ < std::chrono::milliseconds(100))
    return;
  last_draw_ = now;
  double seconds = std::chrono::duration<double>(now - start_).count();
  std::string line = items_ > 0
                         ? fmt::format("\r\033[K{}: {}/{} {}", label_, item_, items_, current_)
                         : fmt::format("\r\033[K{}: {} {}", label_, item_, current_);
  if (records_ > 0) {
    line += fmt::format("  {} records  {:.0f}/s", records_,
                        seconds > 0 ? static_cast<double>(records_) / seconds : 0.0);
  }
  line += fmt::format("  {:.0f}s", seconds);
  std::fputs(line.c_str(), stderr);
  std::fflush(stderr);
}

void Progress::Finish() {
  {
    std::lock_guard lock(mu_);
    if (!finished_ && enabled_) {
      std::fputs("\r\033[K", stderr);
      std::fflush(stderr);
    }
    finished_ = true;
  }
  finished_cv_.notify_all();
  if (ticker_.joinable())
    ticker_.join();
}

}  // namespace goodhart::cli
