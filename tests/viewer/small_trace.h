// small_trace.h — the hand-made two-P trace several viewer suites share, and a fixture
// that loads it once per suite.
//
// G1 (main) creates G2 and G3 on P0 (G3 kicks G2 out of runnext); P1 steals G3; G1
// blocks, G2 runs and readies G1, which runs again from runnext.
#pragma once

#include <gtest/gtest.h>

#include <span>

#include "gmpscope/model/trace_model.h"

#include "boot_trace.h"

namespace gmps::viewer::testing {

inline const std::string kSmallTrace = gmps::testing::bootTrace("replay") + R"({"ev":"GoCreate","ts":100,"m":0,"p":0,"g":1,"newg":2,"label":"main.worker"}
{"ev":"RunqPut","ts":101,"m":0,"p":0,"g":1,"gp":2,"where":"runnext","kicked":-1}
{"ev":"GoCreate","ts":110,"m":0,"p":0,"g":1,"newg":3,"label":"main.worker"}
{"ev":"RunqPut","ts":111,"m":0,"p":0,"g":1,"gp":3,"where":"runnext","kicked":2}
{"ev":"RunqPut","ts":112,"m":0,"p":0,"g":1,"gp":2,"where":"local","kicked":-1}
{"ev":"MStart","ts":120,"m":1,"p":-1,"g":-1,"parent":0}
{"ev":"ProcStart","ts":130,"m":1,"p":1,"g":-1}
{"ev":"MSpinStart","ts":131,"m":1,"p":1,"g":-1}
{"ev":"RunqSteal","ts":140,"m":1,"p":1,"g":-1,"victim":0,"gs":[3],"runnext":1}
{"ev":"RunqGet","ts":141,"m":1,"p":1,"g":-1,"gp":3,"src":"steal","batch":[]}
{"ev":"MSpinStop","ts":142,"m":1,"p":1,"g":-1}
{"ev":"GoStart","ts":150,"m":1,"p":1,"g":3,"inherit":0}
{"ev":"GoBlock","ts":200,"m":0,"p":0,"g":1,"reason":"chan receive"}
{"ev":"RunqGet","ts":210,"m":0,"p":0,"g":-1,"gp":2,"src":"local","batch":[]}
{"ev":"GoStart","ts":220,"m":0,"p":0,"g":2,"inherit":0}
{"ev":"GoUnblock","ts":300,"m":0,"p":0,"g":2,"gp":1}
{"ev":"RunqPut","ts":301,"m":0,"p":0,"g":2,"gp":1,"where":"runnext","kicked":-1}
{"ev":"GoEnd","ts":400,"m":0,"p":0,"g":2}
{"ev":"RunqGet","ts":410,"m":0,"p":0,"g":-1,"gp":1,"src":"runnext","batch":[]}
{"ev":"GoStart","ts":420,"m":0,"p":0,"g":1,"inherit":1}
{"ev":"GoEnd","ts":500,"m":1,"p":1,"g":3}
{"ev":"GoEnd","ts":600,"m":0,"p":0,"g":1}
)";

// SmallTrace holds kSmallTrace's model for the suite's tests (read-only, shared).
class SmallTrace : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    model::LoadResult r = model::loadTraceText(kSmallTrace, "small.jsonl");
    ASSERT_TRUE(r.ok()) << r.error;
    m_ = r.model.release();
  }
  static void TearDownTestSuite() {
    delete m_;
    m_ = nullptr;
  }
  // find: the index of the nth event of kind ev, or kNoEvent.
  static model::EventIndex find(trace::Ev ev, int nth = 0) {
    auto events = m_->events();
    for (size_t i = 0; i < events.size(); i++)
      if (events[i].ev == ev && nth-- == 0) return model::EventIndex(i);
    return model::kNoEvent;
  }
  static std::span<const model::Event> ev() { return m_->events(); }
  inline static const model::TraceModel* m_ = nullptr;
};

}  // namespace gmps::viewer::testing
