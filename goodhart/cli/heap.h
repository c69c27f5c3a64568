// The process heap, for commands that allocate and free large, short-lived buffers over and over
// (the simulator's runs). With mimalloc (GOODHART_ALLOCATOR, BENCHMARKS.md "Allocator") an arena
// reserved up front serves them from pages already mapped, instead of each run faulting fresh
// pages in from the OS; with the system allocator this does nothing.
#pragma once

#include <cstddef>

namespace goodhart::cli {

// Reserves `bytes` of address space for the heap (committed lazily by the OS as pages are
// touched). False when the allocator has no such arena or the OS refused.
bool ReserveHeap(size_t bytes);

}  // namespace goodhart::cli
