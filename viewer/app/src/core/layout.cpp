#include "core/layout.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <string>

namespace gmps::viewer {
namespace {

void put(std::vector<int32_t>& index, int32_t id, int32_t row) {
  if (id < 0) return;
  if (size_t(id) >= index.size()) index.resize(size_t(id) + 1, -1);
  index[size_t(id)] = row;
}

const Row* lookup(const std::vector<Row>& rows, const std::vector<int32_t>& index, int32_t id) {
  if (id < 0 || size_t(id) >= index.size() || index[size_t(id)] < 0) return nullptr;
  return &rows[size_t(index[size_t(id)])];
}

}  // namespace

const char* groupName(Group g) {
  switch (g) {
    case Group::Startup: return "Startup";
    case Group::Procs: return "Processors (P)";
    case Group::Runqs: return "Run queues";
    case Group::Machines: return "Threads (M)";
    case Group::Sysmon: return "Sysmon";
    case Group::Goroutines: return "Goroutines (G)";
    case Group::Count: break;
  }
  return "?";
}

Layout Layout::build(const LayoutInput& in) {
  Layout l;
  float y = 0;
  auto add = [&](LaneKind k, int32_t id, float h) {
    l.rows_.push_back(Row{k, id, y, h});
    y += h + in.gap;
    return int32_t(l.rows_.size() - 1);
  };
  auto header = [&](Group g, bool nonEmpty) {
    if (!nonEmpty) return false;
    l.headers_[int(g)] = add(LaneKind::GroupHeader, int32_t(g), in.headerH);
    return !in.collapsed[int(g)];
  };
  if (header(Group::Startup, in.startup)) l.startup_ = add(LaneKind::Startup, 0, in.startupH);
  if (header(Group::Procs, !in.procs.empty()))
    for (int32_t p : in.procs) put(l.byProc_, p, add(LaneKind::Proc, p, in.procH));
  if (header(Group::Runqs, !in.procs.empty())) {
    l.global_ = add(LaneKind::GlobalRunq, 0, in.runqH);
    for (int32_t p : in.procs) put(l.byRunq_, p, add(LaneKind::Runq, p, in.runqH));
  }
  if (header(Group::Machines, !in.machines.empty()))
    for (int32_t m : in.machines) put(l.byMachine_, m, add(LaneKind::Machine, m, in.machineH));
  if (header(Group::Sysmon, in.sysmon)) l.sysmon_ = add(LaneKind::Sysmon, 0, in.sysmonH);
  if (header(Group::Goroutines, !in.goroutines.empty()))
    for (int32_t g : in.goroutines) put(l.byG_, g, add(LaneKind::Goroutine, g, in.gH));
  l.height_ = y;
  return l;
}

std::pair<size_t, size_t> Layout::rowsIn(float y0, float y1) const {
  auto first = std::partition_point(rows_.begin(), rows_.end(),
                                    [&](const Row& r) { return r.y + r.h <= y0; });
  auto last = std::partition_point(first, rows_.end(), [&](const Row& r) { return r.y < y1; });
  return {size_t(first - rows_.begin()), size_t(last - rows_.begin())};
}

const Row* Layout::find(LaneKind kind, int32_t id) const {
  auto single = [&](int32_t i) { return i < 0 ? nullptr : &rows_[size_t(i)]; };
  switch (kind) {
    case LaneKind::GroupHeader:
      return id >= 0 && id < int(Group::Count) ? single(headers_[id]) : nullptr;
    case LaneKind::Startup: return single(startup_);
    case LaneKind::Proc: return lookup(rows_, byProc_, id);
    case LaneKind::Runq: return lookup(rows_, byRunq_, id);
    case LaneKind::GlobalRunq: return single(global_);
    case LaneKind::Machine: return lookup(rows_, byMachine_, id);
    case LaneKind::Sysmon: return single(sysmon_);
    case LaneKind::Goroutine: return lookup(rows_, byG_, id);
  }
  return nullptr;
}

const Row* Layout::rowAt(float y) const {
  auto [a, b] = rowsIn(y, y + 0.001f);
  for (size_t i = a; i < b; i++)
    if (y >= rows_[i].y && y < rows_[i].y + rows_[i].h) return &rows_[i];
  return nullptr;
}

bool parseGoroutineFilter(std::string_view text, std::vector<int32_t>& out) {
  out.clear();
  std::string s(text);
  size_t i = 0;
  auto skip = [&] {
    while (i < s.size() && (s[i] == ' ' || s[i] == ',' || s[i] == '\t')) i++;
  };
  auto number = [&](long& v) {
    if (i < s.size() && (s[i] == 'g' || s[i] == 'G')) i++;
    if (i >= s.size() || !std::isdigit(static_cast<unsigned char>(s[i]))) return false;
    char* end = nullptr;
    v = std::strtol(s.c_str() + i, &end, 10);
    i = size_t(end - s.c_str());
    return v >= 0 && v < (1L << 30);
  };
  skip();
  if (i >= s.size()) return false;
  while (i < s.size()) {
    long a = 0, b = 0;
    if (!number(a)) {
      out.clear();
      return false;
    }
    b = a;
    if (i < s.size() && s[i] == '-') {
      i++;
      if (!number(b) || b < a || b - a > 1000000) {
        out.clear();
        return false;
      }
    }
    for (long v = a; v <= b; v++) out.push_back(int32_t(v));
    skip();
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return true;
}

}  // namespace gmps::viewer
