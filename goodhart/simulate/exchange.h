// A strategy world differs from the honest world in one team's and one engineer's records. The
// simulator keeps the honest world's detector input, each owner's records contiguous, and
// exchanges only those records in and out (docs/simulate.md).
#pragma once

#include <algorithm>
#include <cstddef>
#include <iterator>
#include <vector>

namespace goodhart::simulate {

// Replaces the records of `owner` in `whole` (from at[owner] to at[owner + 1]) with `part`, and
// leaves the records taken out in `part`: exchanging again restores `whole`. The records the two
// have in common are swapped in place; only a difference in their number moves the records after.
template <typename T>
void Exchange(std::vector<T>& whole, std::vector<size_t>& at, size_t owner, std::vector<T>& part) {
  const size_t b = at[owner], e = at[owner + 1], n_old = e - b, n_new = part.size();
  const size_t common = std::min(n_old, n_new);
  const auto pos = whole.begin() + static_cast<std::ptrdiff_t>(b + common);
  std::swap_ranges(whole.begin() + static_cast<std::ptrdiff_t>(b), pos, part.begin());
  if (n_new > n_old) {
    whole.insert(pos, std::make_move_iterator(part.begin() + static_cast<std::ptrdiff_t>(common)),
                 std::make_move_iterator(part.end()));
    part.resize(common);
  } else if (n_old > n_new) {
    const auto end = whole.begin() + static_cast<std::ptrdiff_t>(e);
    part.insert(part.end(), std::make_move_iterator(pos), std::make_move_iterator(end));
    whole.erase(pos, end);
  }
  const auto delta = static_cast<std::ptrdiff_t>(n_new) - static_cast<std::ptrdiff_t>(n_old);
  for (size_t i = owner + 1; i < at.size(); ++i) {
    at[i] = static_cast<size_t>(static_cast<std::ptrdiff_t>(at[i]) + delta);
  }
}

}  // namespace goodhart::simulate
