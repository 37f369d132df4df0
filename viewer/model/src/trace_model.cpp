// trace_model.cpp — TraceModel: building, lookups and its memory account.
#include "gmpscope/model/trace_model.h"

#include <algorithm>
#include <exception>

#include "builder.h"
#include "snapshots.h"
#include "stats_compute.h"

namespace gmps::model {

TraceModel::TraceModel() = default;
TraceModel::~TraceModel() = default;

std::unique_ptr<TraceModel> TraceModel::build(trace::Trace&& t, LoadProgress* progress) {
  try {
    std::unique_ptr<TraceModel> m(new TraceModel());
    m->trace_ = std::move(t);
    m->snaps_ = std::make_unique<Snapshots>(m->trace_);
    ModelBuilder b(*m, *m->snaps_);
    if (!b.run(progress)) return nullptr;
    m->stats_ = computeStats(*m);
    return m;
  } catch (const std::exception&) {  // bad_alloc: report as a failed load, never throw
    return nullptr;
  }
}

Ns TraceModel::startTime() const { return trace_.events.empty() ? 0 : trace_.events.front().ts; }
Ns TraceModel::endTime() const { return trace_.events.empty() ? 0 : trace_.events.back().ts; }

EventIndex TraceModel::firstEventAtOrAfter(Ns t) const {
  auto& ev = trace_.events;
  auto it = std::lower_bound(ev.begin(), ev.end(), t, [](const Event& e, Ns v) { return e.ts < v; });
  return EventIndex(it - ev.begin());
}

const GoroutineLane* TraceModel::goroutine(int32_t id) const {
  int32_t g = snaps_->ids.dense(id);
  return g < 0 ? nullptr : &gs_[size_t(g)];
}

void TraceModel::flowsTouching(EventIndex first, EventIndex last, std::vector<int32_t>& out) const {
  auto inRange = [&](EventIndex i) { return i >= first && i < last; };
  auto a = std::lower_bound(flows_.begin(), flows_.end(), first,
                            [](const Flow& f, EventIndex v) { return f.from < v; });
  for (auto it = a; it != flows_.end() && it->from < last; ++it)
    out.push_back(int32_t(it - flows_.begin()));
  auto b = std::lower_bound(flowsByTo_.begin(), flowsByTo_.end(), first,
                            [&](int32_t f, EventIndex v) { return flows_[size_t(f)].to < v; });
  for (auto it = b; it != flowsByTo_.end() && flows_[size_t(*it)].to < last; ++it)
    if (!inRange(flows_[size_t(*it)].from)) out.push_back(*it);  // not already listed
}

size_t TraceModel::memoryBytes() const {
  auto vec = [](const auto& v) { return v.capacity() * sizeof(v[0]); };
  size_t n = sizeof(*this);
  n += vec(trace_.events) + vec(trace_.glists) + vec(trace_.wide) + vec(trace_.lineFixups);
  for (const std::string& s : trace_.strings) n += sizeof(s) + (s.capacity() > 15 ? s.capacity() : 0);
  for (const ProcLane& p : procs_)
    n += sizeof(p) + vec(p.running) + vec(p.held) + vec(p.runnext) + vec(p.runqLen) + vec(p.marks);
  for (const MachineLane& m : machines_) n += sizeof(m) + vec(m.spans) + vec(m.marks);
  n += vec(gs_) + vec(gSpans_) + vec(gMarks_);
  n += vec(sysmon_) + vec(sysmonIdle_) + vec(startup_) + vec(globalLen_) + vec(flows_) +
       vec(flowsByTo_);
  n += vec(stats_.perG) + vec(stats_.perP);
  if (snaps_) n += sizeof(Snapshots) + snaps_->bytes() + snaps_->ids.bytes();
  return n;
}

}  // namespace gmps::model
