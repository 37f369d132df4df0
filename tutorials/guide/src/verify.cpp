// verify.cpp — checks the tutorials' files against their committed traces: each
// trace loads and follows the G/M/P rules, and each step's jump finds its event.
#include <map>

#include "gmpscope/guide/verify.h"

namespace gmps::guide {

const model::TraceModel* TraceCache::get(const std::string& relPath, std::string* err) {
  auto it = models_.find(relPath);
  if (it == models_.end()) {
    Entry e;
    model::LoadResult r = model::loadTrace(root_ + "/" + relPath);
    if (r.ok()) {
      e.model = std::move(r.model);
    } else {
      e.error = r.error;
    }
    it = models_.emplace(relPath, std::move(e)).first;
  }
  if (!it->second.model && err != nullptr) *err = it->second.error;
  return it->second.model.get();
}

std::vector<std::string> verifyTrace(const model::TraceModel& m) {
  std::vector<std::string> out;
  if (m.events().empty()) out.push_back(m.trace().name + ": the trace has no events");
  model::CheckResult c = model::checkTrace(m.trace());
  if (!c.ok) out.push_back(c.message);
  if (const auto& v = m.firstViolation(); v && !v->ok && (c.ok || v->message != c.message))
    out.push_back(v->message);
  return out;
}

std::vector<std::string> verifyTutorial(const Tutorial& t, TraceCache& traces) {
  std::vector<std::string> out;
  for (const Run& r : t.runs) {
    std::string err;
    const model::TraceModel* m = traces.get(r.trace, &err);
    if (m == nullptr) {
      out.push_back(t.file + ": run \"" + r.name + "\": " + err);
      continue;
    }
    for (const std::string& p : verifyTrace(*m)) out.push_back(t.file + ": run \"" + r.name + "\": " + p);
    if (m->header().program != r.demo)
      out.push_back(t.file + ": run \"" + r.name + "\": " + r.trace + " was recorded from demo \"" +
                    m->header().program + "\", not \"" + r.demo + "\"");
    if (m->header().gomaxprocs != r.procs)
      out.push_back(t.file + ": run \"" + r.name + "\": " + r.trace + " has gomaxprocs " +
                    std::to_string(m->header().gomaxprocs) + ", the run says procs " + std::to_string(r.procs));
  }
  for (size_t i = 0; i < t.steps.size(); i++) {
    const Jump& j = t.steps[i].jump;
    const Run* r = t.run(j.run);
    const model::TraceModel* m = r ? traces.get(r->trace, nullptr) : nullptr;
    if (m == nullptr) continue;  // reported above
    Resolved res = resolve(j, *m);
    if (!res.ok())
      out.push_back(t.file + ": steps[" + std::to_string(i) + "] \"" + t.steps[i].title + "\": " + res.error);
    if (j.highlight >= 0 && m->goroutine(j.highlight) == nullptr)
      out.push_back(t.file + ": steps[" + std::to_string(i) + "].jump.highlight: G" +
                    std::to_string(j.highlight) + " does not appear in " + r->trace);
  }
  return out;
}

std::vector<std::string> verifyWalkthrough(const Walkthrough& w, TraceCache& traces) {
  std::vector<std::string> out;
  std::string err;
  const model::TraceModel* m = traces.get(w.trace, &err);
  if (m == nullptr) return {w.file + ": " + err};
  for (const std::string& p : verifyTrace(*m)) out.push_back(w.file + ": " + p);
  EventIndex prev = kNoEvent;
  std::string prevId;
  for (size_t i = 0; i < w.steps.size(); i++) {
    Resolved r = resolve(w.steps[i].jump, *m);
    if (!r.ok()) {
      out.push_back(w.file + ": steps[" + std::to_string(i) + "] \"" + w.steps[i].id + "\": " + r.error);
      continue;
    }
    // The steps walk forward through the trace: the panel maps a selected event to
    // the last step whose event is at or before it.
    if (prev != kNoEvent && r.event < prev)
      out.push_back(w.file + ": steps[" + std::to_string(i) + "] \"" + w.steps[i].id + "\": its event (line " +
                    std::to_string(m->lineOf(r.event)) + ") comes before the previous step \"" + prevId +
                    "\" (line " + std::to_string(m->lineOf(prev)) + ")");
    prev = r.event;
    prevId = w.steps[i].id;
  }
  return out;
}

}  // namespace gmps::guide
