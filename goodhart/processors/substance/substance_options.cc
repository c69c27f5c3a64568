#include "goodhart/processors/substance/substance_options.h"

#include <fmt/format.h>

namespace goodhart::processors {

Status SubstanceOptions::Validate() const {
  for (auto [name, value] : {std::pair{"code_weight", code_weight},
                             {"comment_weight", comment_weight},
                             {"docs_weight", docs_weight},
                             {"find_replace_weight", find_replace_weight},
                             {"test_weight", test_weight},
                             {"test_cap_ratio", test_cap_ratio}}) {
    if (!(value >= 0 && value <= 10))
      return Status::InvalidArgument(
          fmt::format("substance: {} must be in [0, 10], got {}", name, value));
  }
  if (moved_min_alnum < 1 || copy_min_alnum < 0)
    return Status::InvalidArgument("substance: moved_min_alnum must be >= 1, copy_min_alnum >= 0");
  if (copy_min_lines < 2 || copy_min_lines > 1000)
    return Status::InvalidArgument(
        fmt::format("substance: copy_min_lines must be in [2, 1000], got {}", copy_min_lines));
  if (find_replace_min_lines < 2)
    return Status::InvalidArgument("substance: find_replace_min_lines must be >= 2");
  if (!(minified_avg_line_length > 0))
    return Status::InvalidArgument("substance: minified_avg_line_length must be > 0");
  if (!(rename_min_similarity > 0 && rename_min_similarity <= 1))
    return Status::InvalidArgument("substance: rename_min_similarity must be in (0, 1]");
  if (data_file_max_lines < 0)
    return Status::InvalidArgument("substance: data_file_max_lines must be >= 0");
  for (const auto* globs :
       {&excluded_globs, &generated_globs, &vendored_globs, &data_allow_globs}) {
    for (const std::string& g : *globs) {
      if (g.empty())
        return Status::InvalidArgument("substance: empty path glob");
    }
  }
  return Status::Ok();
}

}  // namespace goodhart::processors
