// gtable.cpp — see gtable.h.
#include "core/gtable.h"

#include <algorithm>
#include <string_view>

namespace gmps::viewer {

int64_t gColumnValue(const model::GoroutineStats& g, GColumn c) {
  switch (c) {
    case GColumn::Running: return g.running;
    case GColumn::Wait: return g.runnable;
    case GColumn::Blocked: return g.blocked;
    case GColumn::Syscall: return g.syscall;
    case GColumn::Preempted: return g.preemptions;
    case GColumn::Starts: return g.starts;
    default: return g.id;
  }
}

std::vector<int32_t> orderGoroutines(const model::TraceModel& m, const std::vector<GSortKey>& keys) {
  const auto& perG = m.stats().perG;
  std::vector<int32_t> order(perG.size());
  for (size_t i = 0; i < perG.size(); i++) order[i] = int32_t(i);
  std::vector<std::string_view> labels;
  if (std::any_of(keys.begin(), keys.end(), [](const GSortKey& k) { return k.column == GColumn::Label; })) {
    labels.resize(perG.size());
    for (size_t i = 0; i < perG.size(); i++) {
      const auto* g = m.goroutine(perG[i].id);
      if (g != nullptr) labels[i] = g->label;
    }
  }
  // The last tie-break (the row) makes the order total, so std::sort gives what a
  // stable sort would.
  std::sort(order.begin(), order.end(), [&](int32_t a, int32_t b) {
    for (const GSortKey& k : keys) {
      int cmp;
      if (k.column == GColumn::Label) {
        cmp = labels[size_t(a)].compare(labels[size_t(b)]);
      } else {
        int64_t va = gColumnValue(perG[size_t(a)], k.column), vb = gColumnValue(perG[size_t(b)], k.column);
        cmp = va < vb ? -1 : va > vb ? 1 : 0;
      }
      if (cmp != 0) return k.ascending ? cmp < 0 : cmp > 0;
    }
    return a < b;
  });
  return order;
}

}  // namespace gmps::viewer
