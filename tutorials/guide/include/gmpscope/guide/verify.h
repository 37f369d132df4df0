// verify.h — checks tutorials and the startup walkthrough against committed traces
// (what tests/tutorials and `gmpscope-guide check` run).
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "gmpscope/guide/guide.h"

namespace gmps::guide {

// TraceCache loads each trace once, by its path relative to the repository root.
class TraceCache {
 public:
  explicit TraceCache(std::string repoRoot) : root_(std::move(repoRoot)) {}
  // get returns the model, or nullptr with *err set (`FILE:LINE: problem`).
  const model::TraceModel* get(const std::string& relPath, std::string* err);

 private:
  struct Entry {
    std::unique_ptr<model::TraceModel> model;
    std::string error;
  };
  std::string root_;
  std::map<std::string, Entry> models_;
};

// verifyTrace: the trace is not empty and follows the G/M/P rules (model::checkTrace).
std::vector<std::string> verifyTrace(const model::TraceModel& m);

// verifyTutorial: every run's trace loads, passes verifyTrace and was recorded with
// the run's demo and procs; every step's jump resolves in its run's trace. Returns one
// line per problem; empty when all is well.
std::vector<std::string> verifyTutorial(const Tutorial& t, TraceCache& traces);

// verifyWalkthrough: its trace passes verifyTrace; every step resolves, in order.
std::vector<std::string> verifyWalkthrough(const Walkthrough& w, TraceCache& traces);

}  // namespace gmps::guide
