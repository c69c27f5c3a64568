#include "goodhart/cli/heap.h"

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>

#ifdef GOODHART_MIMALLOC
#include <mimalloc.h>
#endif

namespace goodhart::cli {

size_t BatchHeapReservation() {
  const long pages = sysconf(_SC_PHYS_PAGES), page_size = sysconf(_SC_PAGE_SIZE);
  if (pages <= 0 || page_size <= 0) {
    return 0;
  }
  size_t bytes = static_cast<size_t>(pages) * static_cast<size_t>(page_size) / 2;
  rlimit limit{};
  if (getrlimit(RLIMIT_AS, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY) {
    bytes = std::min(bytes, static_cast<size_t>(limit.rlim_cur / 2));
  }
  return bytes;
}

bool ReserveHeap(size_t bytes) {
#ifdef GOODHART_MIMALLOC
  return bytes > 0 && mi_reserve_os_memory(bytes, /*commit=*/true, /*allow_large=*/true) == 0;
#else
  (void)bytes;
  return false;
#endif
}

}  // namespace goodhart::cli
