#include "goodhart/cli/heap.h"

#ifdef GOODHART_MIMALLOC
#include <mimalloc.h>
#endif

namespace goodhart::cli {

bool ReserveHeap(size_t bytes) {
#ifdef GOODHART_MIMALLOC
  return mi_reserve_os_memory(bytes, /*commit=*/true, /*allow_large=*/true) == 0;
#else
  (void)bytes;
  return false;
#endif
}

}  // namespace goodhart::cli
