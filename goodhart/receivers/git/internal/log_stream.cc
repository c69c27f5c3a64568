#include "goodhart/receivers/git/internal/log_stream.h"

#include <algorithm>

namespace goodhart::receivers::git::internal {
namespace {

bool IsHex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); }

}  // namespace

Status LogStreamParser::Feed(std::string_view chunk) {
  if (pos_ > 0 && pos_ >= buf_.size() / 2) {
    buf_.erase(0, pos_);
    scanned_ -= std::min(scanned_, pos_);
    pos_ = 0;
  }
  buf_.append(chunk);
  return Process(false);
}

Status LogStreamParser::Finish() {
  GOODHART_RETURN_IF_ERROR(Process(true));
  if (state_ == State::kFields)
    return Status::DataLoss("git log output ends inside a commit header");
  if (state_ == State::kDiff) {
    if (pos_ < buf_.size()) {
      diff_.AddLine(std::string_view(buf_).substr(pos_));
      pos_ = buf_.size();
    }
    GOODHART_RETURN_IF_ERROR(Emit());
  }
  state_ = State::kStart;
  return Status::Ok();
}

int LogStreamParser::RecordStartsAt(size_t pos, bool at_eof) const {
  size_t i = pos + 1;
  while (i < buf_.size() && i - pos - 1 < 64 && IsHex(buf_[i]))
    ++i;
  size_t digits = i - pos - 1;
  if (i >= buf_.size())
    return at_eof ? 0 : -1;
  return buf_[i] == '\0' && (digits == 40 || digits == 64) ? 1 : 0;
}

Status LogStreamParser::Emit() {
  record_.patches = diff_.Finish();
  ++records_;
  LogRecord done = std::move(record_);
  record_ = LogRecord();
  return on_record_(std::move(done));
}

Status LogStreamParser::Process(bool at_eof) {
  std::string_view buf(buf_);
  while (pos_ < buf.size()) {
    switch (state_) {
      case State::kStart: {
        size_t nul = buf.find('\0', pos_);
        if (nul == std::string_view::npos) {
          pos_ = buf.size();  // nothing before the first record matters
          return Status::Ok();
        }
        pos_ = nul + 1;
        state_ = State::kFields;
        field_ = 0;
        break;
      }
      case State::kFields: {
        size_t nul = buf.find('\0', std::max(pos_, scanned_));
        if (nul == std::string_view::npos) {
          scanned_ = buf.size();  // a long field arrives in pieces: do not rescan them
          return Status::Ok();    // wait for the rest of the field
        }
        std::string value(buf.substr(pos_, nul - pos_));
        pos_ = nul + 1;
        std::string* fields[kLogFields] = {&record_.sha,
                                           &record_.parents,
                                           &record_.author_name,
                                           &record_.author_email,
                                           &record_.author_time,
                                           &record_.committer_name,
                                           &record_.committer_email,
                                           &record_.committer_time,
                                           &record_.message};
        *fields[field_] = std::move(value);
        if (++field_ == kLogFields)
          state_ = State::kDiff;
        break;
      }
      case State::kDiff: {
        if (buf[pos_] == '\0') {
          int start = RecordStartsAt(pos_, at_eof);
          if (start < 0)
            return Status::Ok();
          if (start > 0) {
            GOODHART_RETURN_IF_ERROR(Emit());
            pos_ += 1;
            state_ = State::kFields;
            field_ = 0;
            break;
          }
        }
        size_t nl = buf.find('\n', std::max(pos_, scanned_));
        if (nl == std::string_view::npos) {
          scanned_ = buf.size();
          return Status::Ok();  // an incomplete line; Finish takes a last one without '\n'
        }
        diff_.AddLine(buf.substr(pos_, nl - pos_));
        pos_ = nl + 1;
        break;
      }
    }
  }
  return Status::Ok();
}

}  // namespace goodhart::receivers::git::internal
