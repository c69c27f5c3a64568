// Status and Result<T>: how every goodhart function reports failure. Modelled on LevelDB's Status
// and Abseil's StatusOr; Result<T> stands in for std::expected until goodhart moves to C++23.
// A message reads "component: where: what" (see STYLE.md §5).
#pragma once

#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace goodhart {

// Pick the code by what the caller should do next; api/ maps codes to HTTP statuses.
enum class StatusCode {
  kOk = 0,
  kInvalidArgument,     // bad payload or config value: 400, do not retry
  kNotFound,            // 404
  kAlreadyExists,       // 409
  kPermissionDenied,    // 403
  kUnauthenticated,     // 401
  kResourceExhausted,   // queue full or body too large: 429/413
  kFailedPrecondition,  // 409/412
  kUnavailable,         // store unreachable: 503, retry
  kDeadlineExceeded,    // 503/504, retry
  kDataLoss,            // corrupt file: 500
  kInternal,            // goodhart bug: 500
  kUnimplemented,       // 501
};

std::string_view StatusCodeName(StatusCode code);

class [[nodiscard]] Status {
 public:
  Status() = default;  // OK
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status Ok() { return Status(); }
  static Status InvalidArgument(std::string m) {
    return {StatusCode::kInvalidArgument, std::move(m)};
  }
  static Status NotFound(std::string m) { return {StatusCode::kNotFound, std::move(m)}; }
  static Status AlreadyExists(std::string m) { return {StatusCode::kAlreadyExists, std::move(m)}; }
  static Status PermissionDenied(std::string m) {
    return {StatusCode::kPermissionDenied, std::move(m)};
  }
  static Status Unauthenticated(std::string m) {
    return {StatusCode::kUnauthenticated, std::move(m)};
  }
  static Status ResourceExhausted(std::string m) {
    return {StatusCode::kResourceExhausted, std::move(m)};
  }
  static Status FailedPrecondition(std::string m) {
    return {StatusCode::kFailedPrecondition, std::move(m)};
  }
  static Status Unavailable(std::string m) { return {StatusCode::kUnavailable, std::move(m)}; }
  static Status DeadlineExceeded(std::string m) {
    return {StatusCode::kDeadlineExceeded, std::move(m)};
  }
  static Status DataLoss(std::string m) { return {StatusCode::kDataLoss, std::move(m)}; }
  static Status Internal(std::string m) { return {StatusCode::kInternal, std::move(m)}; }
  static Status Unimplemented(std::string m) { return {StatusCode::kUnimplemented, std::move(m)}; }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }
  // "INVALID_ARGUMENT: otlp_http: resourceLogs[2]: ..." or "OK".
  std::string ToString() const;

  // Returns a copy whose message is "prefix: <message>"; OK stays OK.
  Status WithPrefix(std::string_view prefix) const;

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

// Holds a T or a non-OK Status. Accessing value() of an error is a goodhart bug and aborts.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::move(value)) {}         // NOLINT(google-explicit-constructor)
  Result(Status status) : status_(std::move(status)) {  // NOLINT(google-explicit-constructor)
    if (status_.ok()) {
      status_ = Status::Internal("Result constructed from an OK status without a value");
    }
  }

  bool ok() const { return value_.has_value(); }
  const Status& status() const { return status_; }

  T& value() & {
    CheckOk();
    return *value_;
  }
  const T& value() const& {
    CheckOk();
    return *value_;
  }
  T&& value() && {
    CheckOk();
    return std::move(*value_);
  }
  T* operator->() {
    CheckOk();
    return &*value_;
  }
  const T* operator->() const {
    CheckOk();
    return &*value_;
  }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  void CheckOk() const {
    if (!value_) {
      std::fprintf(stderr, "goodhart: value() on an error Result: %s\n",
                   status_.ToString().c_str());
      std::abort();
    }
  }
  std::optional<T> value_;
  Status status_;
};

}  // namespace goodhart

#define GOODHART_STATUS_CONCAT_INNER(a, b) a##b
#define GOODHART_STATUS_CONCAT(a, b) GOODHART_STATUS_CONCAT_INNER(a, b)

// Returns from the enclosing function when `expr` (a Status) is not OK.
#define GOODHART_RETURN_IF_ERROR(expr)            \
  do {                                            \
    ::goodhart::Status _goodhart_status = (expr); \
    if (!_goodhart_status.ok())                   \
      return _goodhart_status;                    \
  } while (false)

// GOODHART_ASSIGN_OR_RETURN(auto x, MakeX());  unwraps a Result<T> or returns its Status.
#define GOODHART_ASSIGN_OR_RETURN(lhs, expr) \
  GOODHART_ASSIGN_OR_RETURN_IMPL(GOODHART_STATUS_CONCAT(_goodhart_result_, __LINE__), lhs, expr)
#define GOODHART_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                                   \
  if (!tmp.ok())                                       \
    return tmp.status();                               \
  lhs = std::move(tmp).value()

// For goodhart's own invariants only, never for input.
#define GOODHART_CHECK(cond)                                                                    \
  do {                                                                                          \
    if (!(cond)) {                                                                              \
      std::fprintf(stderr, "goodhart: CHECK failed at %s:%d: %s\n", __FILE__, __LINE__, #cond); \
      std::abort();                                                                             \
    }                                                                                           \
  } while (false)
