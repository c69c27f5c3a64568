// The process heap, for batch commands that allocate and free large, short-lived buffers (a
// report or a detection run over a large store, the simulator's runs). With mimalloc
// (GOODHART_ALLOCATOR, BENCHMARKS.md "Allocator") an arena reserved up front serves them from
// pages already mapped, instead of faulting fresh pages in from the OS after every free; with the
// system allocator this does nothing.
#pragma once

#include <cstddef>

namespace goodhart::cli {

// What a batch command reserves: half of the machine's memory, and at most half of the process's
// address-space limit (RLIMIT_AS), so that a capped process keeps room outside the arena.
size_t BatchHeapReservation();

// Reserves `bytes` of address space for the heap (the OS backs pages only as they are touched).
// False when the allocator has no such arena, `bytes` is 0, or the OS refused.
bool ReserveHeap(size_t bytes);

}  // namespace goodhart::cli
