// Prompt text for the simulator's prompts. The simulator draws prompt sketches directly (a fresh
// random MinHash, or a near-duplicate of an earlier prompt of the day that differs in 8 of 128
// slots); the wire carries text, which the server sketches with its own key. So each fresh sketch
// becomes a fresh sentence of 28-40 developer words, and each near-duplicate becomes the text it
// repeats plus one word, whose character 5-gram Jaccard with it is about 0.97 (0.94 between two
// repeats): the same near-duplicate structure, D3's threshold being 0.8.
#pragma once

#include <string>
#include <vector>

#include "goodhart/simulate/activity.h"

namespace goodhart::simulate::emit {

// One text per entry of `activity.sketches`, in the same order. Deterministic.
std::vector<std::string> PromptTexts(const Activity& activity);

}  // namespace goodhart::simulate::emit
