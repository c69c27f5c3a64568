#include "goodhart/store/embedded/internal/key_blocks.h"

#include <algorithm>

namespace goodhart::store::internal {
namespace {

uint64_t LoadLe64(const unsigned char* p) {
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i)
    v |= static_cast<uint64_t>(p[i]) << (8 * i);
  return v;
}

void StoreLe64(uint64_t v, char* p) {
  for (int i = 0; i < 8; ++i)
    p[i] = static_cast<char>((v >> (8 * i)) & 0xff);
}

std::vector<uint64_t> DecodeFences(std::string_view blob) {
  std::vector<uint64_t> fences(blob.size() / 8);
  for (size_t i = 0; i < fences.size(); ++i)
    fences[i] = LoadLe64(reinterpret_cast<const unsigned char*>(blob.data()) + 8 * i);
  return fences;
}

}  // namespace

Status KeyBlocks::Load(KeyFilter* filter) {
  blocks_.clear();
  keys_ = 0;
  // Size the filter first, then add keys while scanning, so no block body is held in memory.
  GOODHART_ASSIGN_OR_RETURN(int64_t total, QueryInt64(db_, "SELECT sum(keys) FROM key_blocks", 0));
  filter->Reset(2 * static_cast<size_t>(std::max<int64_t>(total, 0)));
  GOODHART_ASSIGN_OR_RETURN(
      Stmt * scan, db_.Prepare("SELECT id, min_hash, max_hash, keys, fences, body FROM key_blocks "
                               "ORDER BY id"));
  while (true) {
    GOODHART_ASSIGN_OR_RETURN(bool row, scan->Step());
    if (!row)
      break;
    Block block;
    block.id = scan->ColumnInt64(0);
    block.min_hash = static_cast<uint64_t>(scan->ColumnInt64(1));
    block.max_hash = static_cast<uint64_t>(scan->ColumnInt64(2));
    block.keys = scan->ColumnInt64(3);
    block.fences = DecodeFences(scan->ColumnBlob(4));
    std::string_view body = scan->ColumnBlob(5);
    if (block.keys < 0 || body.size() != static_cast<size_t>(block.keys) * kKeyBytes ||
        block.fences.size() !=
            (static_cast<size_t>(block.keys) + kKeysPerFence - 1) / kKeysPerFence) {
      scan->Reset();
      return Status::DataLoss("embedded_store: key_blocks: malformed block");
    }
    const auto* p = reinterpret_cast<const unsigned char*>(body.data());
    for (size_t i = 0; i < body.size(); i += kKeyBytes)
      filter->Add({LoadLe64(p + i), LoadLe64(p + i + 8)});
    keys_ += block.keys;
    blocks_.push_back(std::move(block));
  }
  scan->Reset();
  return Status::Ok();
}

Result<bool> KeyBlocks::Contains(const KeyFingerprint& key) {
  for (const std::vector<Block>* list : {&blocks_, &pending_}) {
    for (const Block& block : *list) {
      if (key.hash < block.min_hash || key.hash > block.max_hash)
        continue;
      GOODHART_ASSIGN_OR_RETURN(bool found, BlockContains(block, key));
      if (found)
        return true;
    }
  }
  return false;
}

Result<bool> KeyBlocks::BlockContains(const Block& block, const KeyFingerprint& key) {
  // The first slice that can hold `hash`: the one before the first fence >= hash (equal hashes
  // may straddle a fence).
  size_t fence = static_cast<size_t>(
      std::lower_bound(block.fences.begin(), block.fences.end(), key.hash) - block.fences.begin());
  size_t first = fence == 0 ? 0 : (fence - 1) * kKeysPerFence;
  sqlite3_blob* blob = nullptr;
  int rc = sqlite3_blob_open(db_.raw(), "main", "key_blocks", "body", block.id, 0, &blob);
  if (rc != SQLITE_OK) {
    Status status = SqliteStatus(rc, "key_blocks: open blob", sqlite3_errmsg(db_.raw()));
    sqlite3_blob_close(blob);
    return status;
  }
  unsigned char slice[kKeysPerFence * kKeyBytes];
  bool found = false, past = false;
  for (size_t start = first; start < static_cast<size_t>(block.keys) && !found && !past;
       start += kKeysPerFence) {
    size_t n = std::min(kKeysPerFence, static_cast<size_t>(block.keys) - start);
    rc = sqlite3_blob_read(blob, slice, static_cast<int>(n * kKeyBytes),
                           static_cast<int>(start * kKeyBytes));
    if (rc != SQLITE_OK) {
      Status status = SqliteStatus(rc, "key_blocks: read blob", sqlite3_errmsg(db_.raw()));
      sqlite3_blob_close(blob);
      return status;
    }
    for (size_t i = 0; i < n; ++i) {
      KeyFingerprint k{LoadLe64(slice + i * kKeyBytes), LoadLe64(slice + i * kKeyBytes + 8)};
      if (k == key) {
        found = true;
        break;
      }
      if (k.hash > key.hash) {
        past = true;
        break;
      }
    }
  }
  sqlite3_blob_close(blob);
  return found;
}

Status KeyBlocks::Write(std::span<const KeyFingerprint> sorted) {
  GOODHART_ASSIGN_OR_RETURN(
      Stmt * insert, db_.Prepare("INSERT INTO key_blocks(min_hash, max_hash, keys, fences, body) "
                                 "VALUES (?, ?, ?, ?, ?)"));
  std::string body, fences;
  for (size_t begin = 0; begin < sorted.size(); begin += kKeysPerBlock) {
    std::span<const KeyFingerprint> part =
        sorted.subspan(begin, std::min(kKeysPerBlock, sorted.size() - begin));
    body.resize(part.size() * kKeyBytes);
    fences.clear();
    Block block;
    for (size_t i = 0; i < part.size(); ++i) {
      StoreLe64(part[i].hash, body.data() + i * kKeyBytes);
      StoreLe64(part[i].check, body.data() + i * kKeyBytes + 8);
      if (i % kKeysPerFence == 0) {
        block.fences.push_back(part[i].hash);
        char bytes[8];
        StoreLe64(part[i].hash, bytes);
        fences.append(bytes, 8);
      }
    }
    block.min_hash = part.front().hash;
    block.max_hash = part.back().hash;
    block.keys = static_cast<int64_t>(part.size());
    insert->BindInt64(1, static_cast<int64_t>(block.min_hash));
    insert->BindInt64(2, static_cast<int64_t>(block.max_hash));
    insert->BindInt64(3, block.keys);
    insert->BindBlob(4, fences);
    insert->BindBlob(5, body);
    GOODHART_RETURN_IF_ERROR(insert->Run());
    block.id = db_.LastInsertRowid();
    pending_.push_back(std::move(block));
  }
  return Status::Ok();
}

void KeyBlocks::Commit() {
  for (Block& block : pending_) {
    keys_ += block.keys;
    blocks_.push_back(std::move(block));
  }
  pending_.clear();
}

}  // namespace goodhart::store::internal
