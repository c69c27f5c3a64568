#include "goodhart/api/metrics_routes.h"

#include <fmt/format.h>

#include "goodhart/api/http_status.h"
#include "goodhart/store/stats_json.h"

namespace goodhart::api {
namespace {

void Header(std::string& out, std::string_view name, std::string_view type, std::string_view help) {
  out += fmt::format("# HELP {} {}\n# TYPE {} {}\n", name, help, name, type);
}

}  // namespace

void AddMetricsRoutes(HttpServer& server, const store::Store& store, const IngestCounters& counters,
                      const RequestMetrics& requests, const review::FlagStore* flags) {
  server.routes().Get("/metrics", [&store, &counters, &requests, flags](const httplib::Request&,
                                                                        httplib::Response& res) {
    auto stats = store.Stats();
    if (!stats.ok())
      return ReplyError(res, stats.status());
    std::string out;
    const IngestCounters& c = counters;
    Header(out, "goodhart_ingest_requests_total", "counter",
           "Ingest requests by receiver and outcome.");
    for (size_t i = 0; i < static_cast<size_t>(Receiver::kCount); ++i) {
      auto r = static_cast<Receiver>(i);
      const auto& p = c.of(r);
      int64_t failed = p.requests_failed.load();
      out += fmt::format("goodhart_ingest_requests_total{{receiver=\"{}\",outcome=\"ok\"}} {}\n",
                         ReceiverName(r), p.requests.load() - failed);
      out +=
          fmt::format("goodhart_ingest_requests_total{{receiver=\"{}\",outcome=\"failed\"}} {}\n",
                      ReceiverName(r), failed);
    }
    Header(out, "goodhart_ingest_records_total", "counter",
           "Records taken in by receiver and outcome.");
    for (size_t i = 0; i < static_cast<size_t>(Receiver::kCount); ++i) {
      auto r = static_cast<Receiver>(i);
      const auto& p = c.of(r);
      for (auto [outcome, value] :
           {std::pair<const char*, int64_t>{"stored", p.records_stored.load()},
            {"duplicate", p.records_duplicate.load()},
            {"rejected", p.records_rejected.load()}}) {
        out += fmt::format("goodhart_ingest_records_total{{receiver=\"{}\",outcome=\"{}\"}} {}\n",
                           ReceiverName(r), outcome, value);
      }
    }
    Header(out, "goodhart_ingest_bytes_total", "counter", "Decompressed request bytes.");
    for (size_t i = 0; i < static_cast<size_t>(Receiver::kCount); ++i) {
      auto r = static_cast<Receiver>(i);
      out += fmt::format("goodhart_ingest_bytes_total{{receiver=\"{}\"}} {}\n", ReceiverName(r),
                         c.of(r).bytes.load());
    }
    Header(out, "goodhart_store_bytes", "gauge", "Size of the store on disk.");
    out += fmt::format("goodhart_store_bytes {}\n", stats->bytes_on_disk);
    Header(out, "goodhart_store_records", "gauge", "Records in the store by kind.");
    for (const auto& [kind, n] : store::StoreCounts(*stats))
      out += fmt::format("goodhart_store_records{{kind=\"{}\"}} {}\n", kind, n);
    if (flags != nullptr) {
      auto sent = flags->SentAlertCount();
      if (sent.ok()) {
        Header(out, "goodhart_alerts_sent_total", "counter", "Alerts delivered to the webhook.");
        out += fmt::format("goodhart_alerts_sent_total {}\n", *sent);
      }
    }
    out += requests.Exposition();
    res.set_content(out, "text/plain; version=0.0.4");
  });
}

}  // namespace goodhart::api
