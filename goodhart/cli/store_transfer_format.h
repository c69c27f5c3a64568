// The layout of a `store export --out` directory, shared by the export (store_export.cc) and the
// import (store_import.cc); store_transfer.h describes it.
#pragma once

#include <cstdint>

namespace goodhart::cli::transfer {

inline constexpr char kFormat[] = "goodhart-store-export";
// 2 added review.jsonl; a version 1 export imports as before (it has no review records).
inline constexpr int kFormatVersion = 2;
inline constexpr char kManifest[] = "manifest.json";
inline constexpr char kDirectoryFile[] = "directory.jsonl";
inline constexpr char kUsageFile[] = "usage.jsonl";
inline constexpr char kDeliveryFile[] = "delivery.jsonl";
inline constexpr char kRawFile[] = "raw_deliveries.jsonl";
inline constexpr char kGitHeadsFile[] = "git_heads.jsonl";
inline constexpr char kReviewFile[] = "review.jsonl";

// Raw deliveries are read from a store this many at a time (export, and the import's check of
// what a store holds already).
inline constexpr int64_t kRawPage = 1'000;

}  // namespace goodhart::cli::transfer
