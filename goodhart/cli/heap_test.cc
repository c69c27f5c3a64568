// The batch commands' heap reservation: half of memory, and at most half of an address-space cap.
#include "goodhart/cli/heap.h"

#include <gtest/gtest.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>

namespace goodhart::cli {
namespace {

size_t HalfOfMemory() {
  return static_cast<size_t>(sysconf(_SC_PHYS_PAGES)) *
         static_cast<size_t>(sysconf(_SC_PAGE_SIZE)) / 2;
}

TEST(BatchHeapReservationTest, AtMostHalfOfMemory) {
  const size_t bytes = BatchHeapReservation();
  EXPECT_GT(bytes, 0u);
  EXPECT_LE(bytes, HalfOfMemory());
}

TEST(BatchHeapReservationTest, AnAddressSpaceCapHalvesIt) {
  EXPECT_EXIT(
      {
        rlimit cap{};
        getrlimit(RLIMIT_AS, &cap);
        const rlim_t limit = rlim_t{64} << 20;  // far below this machine's memory
        cap.rlim_cur = cap.rlim_max == RLIM_INFINITY ? limit : std::min(limit, cap.rlim_max);
        setrlimit(RLIMIT_AS, &cap);
        std::_Exit(BatchHeapReservation() == cap.rlim_cur / 2 ? 0 : 1);
      },
      ::testing::ExitedWithCode(0), "");
}

TEST(ReserveHeapTest, NothingToReserve) { EXPECT_FALSE(ReserveHeap(0)); }

}  // namespace
}  // namespace goodhart::cli
