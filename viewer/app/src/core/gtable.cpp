// gtable.cpp — see gtable.h.
#include "core/gtable.h"

#include <algorithm>
#include <string_view>
#include <unordered_map>

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

namespace {

// labelRanks is each row's label's rank among the trace's labels, in text order.
// Through a map of the distinct labels (a trace has few, and neighbouring rows often
// share one): sorting all 170 000 of a spawn trace's labels took most of a frame.
std::vector<int64_t> labelRanks(const model::TraceModel& m) {
  const auto& perG = m.stats().perG;
  std::vector<std::string_view> labels(perG.size());
  for (size_t i = 0; i < perG.size(); i++) {
    const auto* g = m.goroutine(perG[i].id);
    if (g != nullptr) labels[i] = g->label;
  }
  std::unordered_map<std::string_view, int64_t> rank;
  for (size_t i = 0; i < labels.size(); i++)
    if (i == 0 || labels[i] != labels[i - 1]) rank.emplace(labels[i], 0);
  std::vector<std::string_view> distinct;
  for (const auto& [label, r] : rank) distinct.push_back(label);
  std::sort(distinct.begin(), distinct.end());
  for (size_t i = 0; i < distinct.size(); i++) rank[distinct[i]] = int64_t(i);
  std::vector<int64_t> v(labels.size());
  for (size_t i = 0; i < labels.size(); i++)
    v[i] = i > 0 && labels[i] == labels[i - 1] ? v[i - 1] : rank[labels[i]];
  return v;
}

// keyValues is column c's value for every row (a label: its rank).
std::vector<int64_t> keyValues(const model::TraceModel& m, GColumn c) {
  if (c == GColumn::Label) return labelRanks(m);
  const auto& perG = m.stats().perG;
  std::vector<int64_t> v(perG.size());
  for (size_t i = 0; i < perG.size(); i++) v[i] = gColumnValue(perG[i], c);
  return v;
}

// sortStableBy orders the rows in order by key (indexed by row), keeping the present
// order among equal keys: a least-significant-digit radix sort, 8 bits a pass, passes
// where every key has the same digit skipped.
void sortStableBy(std::vector<int32_t>& order, const std::vector<uint64_t>& key) {
  std::vector<int32_t> out(order.size());
  for (int shift = 0; shift < 64; shift += 8) {
    size_t start[257] = {};
    for (int32_t r : order) start[((key[size_t(r)] >> shift) & 0xff) + 1]++;
    if (std::find(start + 1, start + 257, order.size()) != start + 257) continue;
    for (int d = 1; d < 257; d++) start[d] += start[d - 1];
    for (int32_t r : order) out[start[(key[size_t(r)] >> shift) & 0xff]++] = r;
    order.swap(out);
  }
}

}  // namespace

// Sorting by the last key, then stably by each key before it, gives the order of the
// first key, ties broken by the next, then by the row. A comparison sort through the
// 64-byte per-G records took 63 ms for the 170 000 Gs of a spawn trace (a cache miss
// per look), too long for one frame; the radix passes take a few.
std::vector<int32_t> orderGoroutines(const model::TraceModel& m, const std::vector<GSortKey>& keys) {
  std::vector<int32_t> order(m.stats().perG.size());
  for (size_t i = 0; i < order.size(); i++) order[i] = int32_t(i);
  for (auto k = keys.rbegin(); k != keys.rend(); ++k) {
    std::vector<int64_t> v = keyValues(m, k->column);
    std::vector<uint64_t> key(v.size());
    for (size_t i = 0; i < v.size(); i++) {
      uint64_t u = uint64_t(v[i]) ^ (uint64_t(1) << 63);  // signed order as unsigned
      key[i] = k->ascending ? u : ~u;
    }
    sortStableBy(order, key);
  }
  return order;
}

}  // namespace gmps::viewer
