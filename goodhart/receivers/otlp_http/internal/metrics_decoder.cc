// resourceMetrics[].scopeMetrics[].metrics[] -> one UsageEvent per data point of the usage
// metrics; the points of every other metric are counted as ignored without being decoded.
#include <cstdint>

#include "goodhart/receivers/otlp_http/internal/decoders.h"
#include "goodhart/receivers/otlp_http/internal/metric_points.h"

namespace goodhart::receivers::otlp::internal {
namespace {

enum class DataKind { kSum, kHistogram, kOther };

class MetricsDecoder {
 public:
  explicit MetricsDecoder(DecodeState& state) : state_(state) {}

  Status DecodeMetric(sj::value value, const RecordPath& path) {
    sj::object object;
    if (error_code error = value.get_object().get(object)) {
      if (!IsTypeError(error))
        return state_.BodyError(path.Format(), error);
      state_.Reject(path, "is not an object");
      return Status::Ok();
    }
    metric_ = MetricView{};
    metric_.resource = &state_.resource;
    metric_.scope = &state_.scope;
    // Data before the name is read in a second pass, once the name is known.
    size_t name_at = SIZE_MAX;
    bool deferred = false;
    for (int pass = 0; pass < 2; ++pass) {
      size_t at = 0;
      for (auto field : object) {
        sj::field f;
        if (error_code error = Unwrap(field, &f))
          return state_.BodyError(path.Format(), error);
        const sj::raw_json_string key = f.key();
        const size_t here = at++;
        if (KeyIs(key, "name")) {
          if (pass == 1)
            continue;
          if (error_code error = ReadString(f.value(), &metric_.name)) {
            if (!IsTypeError(error))
              return state_.BodyError(path.Format(), error);
            state_.Reject(path, "name is not a string");
            return Status::Ok();
          }
          name_at = here;
          continue;
        }
        DataKind kind;
        if (KeyIs(key, "sum")) {
          kind = DataKind::kSum;
        } else if (KeyIs(key, "histogram")) {
          kind = DataKind::kHistogram;
        } else if (KeyIs(key, "gauge") || KeyIs(key, "exponentialHistogram") ||
                   KeyIs(key, "summary")) {
          kind = DataKind::kOther;
        } else {
          continue;
        }
        if (pass == 0 && name_at == SIZE_MAX) {
          deferred = true;
          continue;
        }
        if (pass == 1 && here > name_at)
          continue;  // read in the first pass
        GOODHART_RETURN_IF_ERROR(DecodeData(f.value(), kind, path));
      }
      if (!deferred)
        break;
      bool unused = false;
      if (error_code error = object.reset().get(unused))
        return state_.BodyError(path.Format(), error);
    }
    return Status::Ok();
  }

 private:
  // {aggregationTemporality, isMonotonic, dataPoints:[...]}
  Status DecodeData(sj::value value, DataKind kind, RecordPath path) {
    sj::object data;
    if (error_code error = value.get_object().get(data)) {
      if (!IsTypeError(error))
        return state_.BodyError(path.Format(), error);
      state_.Reject(path, "metric data is not an object");
      return Status::Ok();
    }
    const bool wanted = kind != DataKind::kOther && IsUsageMetric(metric_.name);
    metric_.histogram = kind == DataKind::kHistogram;
    metric_.temporality = 0;
    // Points before the temporality are read in a second pass, once it is known.
    size_t temporality_at = SIZE_MAX;
    bool deferred = false;
    for (int pass = 0; pass < 2; ++pass) {
      size_t at = 0;
      for (auto field : data) {
        sj::field f;
        if (error_code error = Unwrap(field, &f))
          return state_.BodyError(path.Format(), error);
        const sj::raw_json_string key = f.key();
        const size_t here = at++;
        if (KeyIs(key, "aggregationTemporality")) {
          if (pass == 1)
            continue;
          error_code error =
              ReadEnum(f.value(),
                       {"AGGREGATION_TEMPORALITY_UNSPECIFIED", "AGGREGATION_TEMPORALITY_DELTA",
                        "AGGREGATION_TEMPORALITY_CUMULATIVE"},
                       &metric_.temporality);
          if (error && !IsTypeError(error))
            return state_.BodyError(path.Format(), error);
          if (error || metric_.temporality > 2)
            metric_.temporality = 0;  // unknown: reported as Temporality::kNone
          temporality_at = here;
        } else if (KeyIs(key, "dataPoints")) {
          if (!wanted) {
            if (pass == 0)
              GOODHART_RETURN_IF_ERROR(CountIgnored(f.value(), path));
          } else if (pass == 0 && temporality_at == SIZE_MAX) {
            deferred = true;
          } else if (pass == 0 || here < temporality_at) {
            path.sub_list = "dataPoints";
            GOODHART_RETURN_IF_ERROR(
                ForEachInList(state_, f.value(), path.Format(), [&](sj::value point, size_t index) {
                  path.sub = index;
                  return DecodePoint(point, path);
                }));
          }
        }
      }
      if (!deferred)
        break;
      bool unused = false;
      if (error_code error = data.reset().get(unused))
        return state_.BodyError(path.Format(), error);
    }
    return Status::Ok();
  }

  Status CountIgnored(sj::value value, const RecordPath& path) {
    sj::array points;
    if (error_code error = value.get_array().get(points))
      return IsTypeError(error) ? Status::Ok() : state_.BodyError(path.Format(), error);
    size_t count = 0;
    if (error_code error = points.count_elements().get(count))
      return state_.BodyError(path.Format(), error);
    state_.result().ignored += static_cast<int64_t>(count);
    return Status::Ok();
  }

  Status DecodePoint(sj::value value, const RecordPath& path) {
    sj::object object;
    if (error_code error = value.get_object().get(object)) {
      if (!IsTypeError(error))
        return state_.BodyError(path.Format(), error);
      state_.Reject(path, "is not an object");
      return Status::Ok();
    }
    PointView& point = point_;
    point.start_unix_nano = point.time_unix_nano = 0;
    point.value = AnyValue{};
    point.attrs.Clear();
    point.attrs.set_parent(&state_.resource.attrs);
    point.all.clear();
    std::string_view problem;
    for (auto field : object) {
      sj::field f;
      if (error_code error = Unwrap(field, &f))
        return state_.BodyError(path.Format(), error);
      const sj::raw_json_string key = f.key();
      error_code error = simdjson::SUCCESS;
      std::string_view what;
      if (KeyIs(key, "attributes")) {
        error = ReadAttributes(f.value(), &point.attrs, &point.all);
        what = "attributes is malformed";
      } else if (KeyIs(key, "timeUnixNano")) {
        error = ReadInt64(f.value(), &point.time_unix_nano);
        what = "timeUnixNano is not an int64";
      } else if (KeyIs(key, "startTimeUnixNano")) {
        error = ReadInt64(f.value(), &point.start_unix_nano);
        what = "startTimeUnixNano is not an int64";
      } else if (metric_.histogram ? KeyIs(key, "sum") : KeyIs(key, "asDouble")) {
        point.value.type = ValueType::kDouble;
        error = ReadDouble(f.value(), &point.value.double_value);
        what = metric_.histogram ? "sum is not a number" : "asDouble is not a number";
      } else if (!metric_.histogram && KeyIs(key, "asInt")) {
        point.value.type = ValueType::kInt;
        error = ReadInt64(f.value(), &point.value.int_value);
        what = "asInt is not an int64";
      }
      if (error) {
        if (!IsTypeError(error))
          return state_.BodyError(path.Format(), error);
        if (problem.empty())
          problem = what;
      }
    }
    if (!problem.empty()) {
      state_.Reject(path, problem);
      return Status::Ok();
    }
    state_.Emit(path, [&](model::UsageEvent* event) {
      return MapMetricPoint(metric_, point, state_.options(), event);
    });
    return Status::Ok();
  }

  DecodeState& state_;
  MetricView metric_;
  PointView point_;
};

}  // namespace

Status DecodeMetricsDocument(DecodeState& state, sj::document& doc) {
  MetricsDecoder decoder(state);
  return WalkEnvelope(state, doc, kMetricNames, [&](sj::value value, const RecordPath& path) {
    return decoder.DecodeMetric(value, path);
  });
}

}  // namespace goodhart::receivers::otlp::internal
