// Runtime: what every command opens from --config and --data: the validated config, the store,
// the price table, the prompt sketcher and the ingest pipeline (pricing -> store).
#pragma once

#include <memory>
#include <string>

#include "goodhart/access/audit_log.h"
#include "goodhart/analytics/nd/nd_params.h"
#include "goodhart/base/status.h"
#include "goodhart/config/config.h"
#include "goodhart/detect/detect_params.h"
#include "goodhart/pipeline/store_consumer.h"
#include "goodhart/processors/pricing/price_table.h"
#include "goodhart/processors/pricing/pricing_processor.h"
#include "goodhart/processors/sketch/prompt_sketcher.h"
#include "goodhart/review/flag_store.h"
#include "goodhart/store/clickhouse/clickhouse_store.h"
#include "goodhart/store/store.h"

namespace goodhart::cli {

// Flags every command takes.
struct CommonOptions {
  std::string data_dir;     // --data; empty: config's data_dir
  std::string config_file;  // --config; empty: defaults + environment
};

// The ClickHouse store's options from the config's store section (kind clickhouse).
store::ClickHouseStoreOptions ClickHouseOptions(const config::StoreConfig& store);

class Runtime {
 public:
  // Loads and validates the config (a config error is kInvalidArgument: exit 2), creates the data
  // directory, opens the store (store.kind: embedded in the data directory, or clickhouse) and
  // the sketch key (<data>/sketch.key, created once, mode 0600,
  // unless privacy.sketch_key is set).
  static Result<std::unique_ptr<Runtime>> Open(const CommonOptions& options);
  // Loads and validates the config only.
  static Result<config::Config> LoadConfig(const CommonOptions& options);

  const config::Config& config() const { return config_; }
  store::Store& store() { return *store_; }
  const processors::PromptSketcher& sketcher() const { return *sketcher_; }
  // The head of the ingest pipeline: computes costs, then stores.
  pipeline::Consumer& ingest() { return *pricing_; }
  // The ND definition parameters: the config's `nd:` section, else the defaults.
  const analytics::nd::NdParams& nd_params() const { return nd_params_; }
  // The audit log of person-level reads: access.audit_log, else <data>/audit.jsonl.
  access::AuditLog& audit_log() { return *audit_log_; }
  // The detector parameters: the config's `detect:` section, else the defaults.
  const detect::DetectParams& detect_params() const { return detect_params_; }
  // The review workflow's flags and alert outbox (<data>/flags.db), opened on first use.
  Result<review::FlagStore*> flag_store();

 private:
  Runtime() = default;
  config::Config config_;
  analytics::nd::NdParams nd_params_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<access::AuditLog> audit_log_;
  detect::DetectParams detect_params_;
  std::unique_ptr<review::FlagStore> flag_store_;
  std::unique_ptr<processors::PriceTable> prices_;
  std::unique_ptr<processors::PromptSketcher> sketcher_;
  std::unique_ptr<pipeline::StoreConsumer> store_consumer_;
  std::unique_ptr<processors::PricingProcessor> pricing_;
};

}  // namespace goodhart::cli
