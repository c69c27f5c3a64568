#include "goodhart/cli/progress.h"

#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>

namespace goodhart::cli {

Progress::Progress(std::string label, int64_t items)
    : label_(std::move(label)),
      items_(items),
      enabled_(::isatty(STDERR_FILENO) == 1),
      start_(std::chrono::steady_clock::now()) {}

Progress::~Progress() { Finish(); }

void Progress::StartItem(const std::string& name) {
  ++item_;
  current_ = name.size() > 40 ? "..." + name.substr(name.size() - 37) : name;
  Draw(true);
}

void Progress::Add(int64_t records) {
  records_ += records;
  Draw(false);
}

void Progress::Draw(bool force) {
  if (!enabled_ || finished_)
    return;
  auto now = std::chrono::steady_clock::now();
  if (!force && now - last_draw_ < std::chrono::milliseconds(100))
    return;
  last_draw_ = now;
  double seconds = std::chrono::duration<double>(now - start_).count();
  std::string line = fmt::format("\r\033[K{}: {}/{} {}", label_, item_, items_, current_);
  if (records_ > 0) {
    line += fmt::format("  {} records  {:.0f}/s", records_,
                        seconds > 0 ? static_cast<double>(records_) / seconds : 0.0);
  }
  line += fmt::format("  {:.0f}s", seconds);
  std::fputs(line.c_str(), stderr);
  std::fflush(stderr);
}

void Progress::Finish() {
  if (!enabled_ || finished_)
    return;
  finished_ = true;
  fmt::print(stderr, "\r\033[K");
}

}  // namespace goodhart::cli
