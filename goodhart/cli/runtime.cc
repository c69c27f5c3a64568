#include "goodhart/cli/runtime.h"

#include <fmt/format.h>
#include <openssl/rand.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "goodhart/store/clickhouse/clickhouse_store.h"
#include "goodhart/store/embedded/embedded_store.h"

namespace goodhart::cli {
namespace {

// The sketch key is generated once per data directory, so sketches stay comparable across
// restarts, and never leaves it.
Result<std::string> LoadOrCreateSketchKey(const std::filesystem::path& dir) {
  auto path = dir / "sketch.key";
  std::error_code ec;
  if (std::filesystem::exists(path, ec)) {
    std::ifstream in(path);
    std::string key;
    std::getline(in, key);
    if (key.size() < 32) {
      return Status::DataLoss(
          fmt::format("sketch_key: {}: too short or unreadable", path.string()));
    }
    return key;
  }
  unsigned char bytes[32];
  if (RAND_bytes(bytes, sizeof bytes) != 1)
    return Status::Internal("sketch_key: RAND_bytes failed");
  std::string key;
  for (unsigned char b : bytes)
    key += fmt::format("{:02x}", b);
  auto tmp = path;
  tmp += ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << key << "\n";
    if (!out.flush()) {
      return Status::Unavailable(fmt::format("sketch_key: {}: cannot write", tmp.string()));
    }
  }
  ::chmod(tmp.c_str(), 0600);
  std::filesystem::rename(tmp, path, ec);
  if (ec)
    return Status::Unavailable(fmt::format("sketch_key: {}: {}", path.string(), ec.message()));
  return key;
}

}  // namespace

store::ClickHouseStoreOptions ClickHouseOptions(const config::StoreConfig& store) {
  store::ClickHouseStoreOptions options;
  options.url = store.url;
  options.database = store.database;
  options.user = store.user;
  options.password = store.password;
  options.cluster = store.cluster;
  options.shard_urls = store.shard_urls;
  return options;
}

Result<config::Config> Runtime::LoadConfig(const CommonOptions& options) {
  GOODHART_ASSIGN_OR_RETURN(auto config,
                            config::LoadConfig(options.config_file, config::GoodhartEnvironment()));
  if (!options.data_dir.empty())
    config.data_dir = options.data_dir;
  GOODHART_RETURN_IF_ERROR(config.Validate());
  return config;
}

Result<std::unique_ptr<Runtime>> Runtime::Open(const CommonOptions& options) {
  std::unique_ptr<Runtime> rt(new Runtime());
  GOODHART_ASSIGN_OR_RETURN(rt->config_, LoadConfig(options));
  if (!rt->config_.nd_document.empty()) {
    Result<analytics::nd::NdParams> params = analytics::nd::ParseNdParams(rt->config_.nd_document);
    if (!params.ok())
      return params.status().WithPrefix("config");
    rt->nd_params_ = *params;
  }
  {
    Result<detect::DetectParams> params = detect::ParseDetectParams(rt->config_.detect_document);
    if (!params.ok())
      return params.status().WithPrefix("config");
    rt->detect_params_ = *params;
  }
  const std::filesystem::path dir(rt->config_.data_dir);
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) {
    return Status::Unavailable(
        fmt::format("data: {}: cannot create: {}", dir.string(), ec.message()));
  }
  if (rt->config_.store.kind == "clickhouse") {
    GOODHART_ASSIGN_OR_RETURN(rt->store_,
                              store::OpenClickHouseStore(ClickHouseOptions(rt->config_.store)));
  } else {
    GOODHART_ASSIGN_OR_RETURN(
        rt->store_,
        store::OpenEmbeddedStore({.data_dir = dir.string(),
                                  .synchronous_full = rt->config_.store.synchronous == "full"}));
  }
  rt->audit_log_ = std::make_unique<access::AuditLog>(
      rt->config_.access.audit_log.empty() ? (dir / "audit.jsonl").string()
                                           : rt->config_.access.audit_log,
      access::AuditLogOptions{.fsync_interval_ms = rt->config_.access.audit_fsync_interval_ms});
  if (rt->config_.pricing.file.empty()) {
    rt->prices_ = std::make_unique<processors::PriceTable>(processors::PriceTable::Builtin());
  } else {
    std::ifstream in(rt->config_.pricing.file);
    if (!in) {
      return Status::InvalidArgument(
          fmt::format("config: pricing.file: {}: cannot read", rt->config_.pricing.file));
    }
    std::stringstream text;
    text << in.rdbuf();
    GOODHART_ASSIGN_OR_RETURN(auto table, processors::PriceTable::FromYaml(text.str()));
    rt->prices_ = std::make_unique<processors::PriceTable>(std::move(table));
  }
  std::string key = rt->config_.privacy.sketch_key;
  if (key.empty()) {
    GOODHART_ASSIGN_OR_RETURN(key, LoadOrCreateSketchKey(dir));
  }
  rt->sketcher_ = std::make_unique<processors::PromptSketcher>(key);
  rt->store_consumer_ = std::make_unique<pipeline::StoreConsumer>(*rt->store_);
  rt->pricing_ = std::make_unique<processors::PricingProcessor>(*rt->prices_, *rt->store_consumer_);
  return rt;
}

Result<review::FlagStore*> Runtime::flag_store() {
  if (!flag_store_) {
    GOODHART_ASSIGN_OR_RETURN(store::ReviewRecords * records, store_->review_records());
    flag_store_ = std::make_unique<review::FlagStore>(*records);
  }
  return flag_store_.get();
}

}  // namespace goodhart::cli
