// What every Store backend refuses in Append before writing anything (store.h's contract): a batch
// mixing usage and delivery records, a raw delivery without its dedupe key, and a usage event that
// is not valid (model::UsageEvent::Validate) or a metric point without temporality. Errors read
// "<component>: append: ..." or "<component>: usage[i]: ...".
#pragma once

#include <string_view>

#include "goodhart/base/status.h"
#include "goodhart/model/event_batch.h"

namespace goodhart::store {

Status ValidateAppendBatch(const model::EventBatch& batch, std::string_view component);

}  // namespace goodhart::store
