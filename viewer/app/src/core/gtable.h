// gtable.h — the order of the statistics panel's per-G table: sorted by any of its
// columns, several at once (shift-click), each ascending or descending. Pure (no
// ImGui): unit-tested over a trace built in memory.
#pragma once

#include <cstdint>
#include <vector>

#include "gmpscope/model/trace_model.h"

namespace gmps::viewer {

// GColumn: the table's columns, in their default order.
enum class GColumn : int { Id, Label, Running, Wait, Blocked, Syscall, Preempted, Starts, Count };

struct GSortKey {
  GColumn column;
  bool ascending;
};

// gColumnValue is a numeric column's value for g (Label has none: its id).
int64_t gColumnValue(const model::GoroutineStats& g, GColumn c);

// orderGoroutines returns the rows of m.stats().perG ordered by keys, the first key
// first; rows equal on every key keep their order. Labels sort as text. It runs on the
// click of a column header, so it must fit in a frame for a spawn trace's 170 000 Gs
// (replay_bench times it).
std::vector<int32_t> orderGoroutines(const model::TraceModel& m, const std::vector<GSortKey>& keys);

}  // namespace gmps::viewer
