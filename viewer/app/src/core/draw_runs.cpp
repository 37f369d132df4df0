// draw_runs.cpp — planRuns (draw_runs.h).
#include "core/draw_runs.h"

namespace gmps::viewer {

void planRuns(std::span<const FillState> needs, std::span<const float> areas, float minArea,
              FillState& at, std::vector<DrawRun>& out) {
  const size_t n = needs.size();
  out.clear();
  // reach[s][i]: the pixels state s (Opaque, Solid) can draw from triangle i on
  // without a change. Textured draws everything.
  std::vector<float> reach[2] = {std::vector<float>(n + 1, 0.f), std::vector<float>(n + 1, 0.f)};
  for (size_t i = n; i-- > 0;)
    for (int s = 0; s < 2; s++) reach[s][i] = int(needs[i]) <= s ? areas[i] + reach[s][i + 1] : 0.f;
  for (size_t i = 0; i < n; i++) {
    const FillState need = needs[i];
    // The cheapest state that draws triangle i and pays for the change to it.
    FillState cheapest = FillState::Textured;
    for (int s = int(need); s < int(FillState::Textured); s++)
      if (reach[s][i] >= minArea) {
        cheapest = FillState(s);
        break;
      }
    const bool canStay = at != FillState::None && need <= at;
    if (!canStay || cheapest < at) at = cheapest;
    DrawRun* last = out.empty() ? nullptr : &out.back();
    if (last != nullptr && last->state == at && last->first + last->count == i)
      last->count++;
    else
      out.push_back({uint32_t(i), 1, at});
  }
}

}  // namespace gmps::viewer
