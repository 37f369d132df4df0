// resolve_test.cpp — jumps resolved against a small hand-made trace: nth from either
// end, after/before windows, every filter kind, goroutine and time targets.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "gmpscope/guide/guide.h"

namespace gmps::guide {
namespace {

using json = nlohmann::json;
using trace::Ev;
using trace::eventName;

json ev(Ev e, Ns ts, int m, int p, int g, json args = json::object()) {
  json j = {{"ev", eventName(e)}, {"ts", ts}, {"m", m}, {"p", p}, {"g", g}};
  for (auto it = args.begin(); it != args.end(); ++it) j[it.key()] = it.value();
  return j;
}

// Two Ps; G1 creates G2..G5, P1 steals twice from P0, sysmon preempts G2 once.
std::unique_ptr<model::TraceModel> sampleModel() {
  std::vector<json> lines = {
      {{"format", "gmpscope-trace"}, {"version", 1}, {"program", "sample"}, {"gomaxprocs", 2}, {"ncpu", 2},
       {"clock", "ns"}},
      ev(Ev::Startup, 100, 0, -1, -1, {{"step", "rt0_go"}, {"value", 0}, {"name", ""}}),                // 0
      ev(Ev::GoCreate, 200, 0, 0, 1, {{"newg", 2}, {"label", "worker"}}),                               // 1
      ev(Ev::GoCreate, 300, 0, 0, 1, {{"newg", 3}, {"label", "worker"}}),                               // 2
      ev(Ev::GoCreate, 400, 0, 0, 1, {{"newg", 4}, {"label", "other"}}),                                // 3
      ev(Ev::RunqSteal, 500, 1, 1, -1, {{"victim", 0}, {"gs", {2, 3}}, {"runnext", 0}}),               // 4
      ev(Ev::GoCreate, 600, 0, 0, 1, {{"newg", 5}, {"label", "worker"}}),                               // 5
      ev(Ev::RunqSteal, 700, 1, 1, -1, {{"victim", 0}, {"gs", {5}}, {"runnext", 1}}),                  // 6
      ev(Ev::SysmonPreempt, 20'000'000, 2, -1, -1, {{"gp", 2}, {"pp", 1}, {"ran", 12'000'000}, {"async", 1}}),  // 7
  };
  std::string text;
  for (const json& l : lines) text += l.dump() + "\n";
  model::LoadResult r = model::loadTraceText(text, "sample.jsonl");
  EXPECT_TRUE(r.ok()) << r.error;
  return std::move(r.model);
}

EventSelector sel(std::string_view selectorJson) {
  // A selector is only ever read as part of a tutorial; wrap it in a minimal one.
  json t = {{"format", kTutorialFormat}, {"version", 1}, {"id", "99"}, {"slug", "99-test"}, {"title", "t"},
            {"summary", "s"}, {"demo", "d"}, {"procs", 1}, {"trace", "traces/x.jsonl"},
            {"steps", json::array({{{"title", "t"}, {"text", "t"}, {"look", "l"}, {"question", "q"},
                                    {"answer", "a"}, {"jump", {{"event", json::parse(selectorJson)}}}}})}};
  Loaded<Tutorial> l = parseTutorial(t.dump(), "test");
  EXPECT_TRUE(l.ok()) << l.error;
  return l.ok() ? l.value->steps[0].jump.event : EventSelector{};
}

std::string q(Ev e) { return std::string("\"") + eventName(e) + "\""; }

class Resolve : public ::testing::Test {
 protected:
  void SetUp() override { m = sampleModel(); ASSERT_NE(m, nullptr); }
  EventIndex find(const std::string& s) {
    std::string why;
    EventIndex i = findEvent(sel(s), *m, &why);
    last = why;
    return i;
  }
  std::unique_ptr<model::TraceModel> m;
  std::string last;
};

TEST_F(Resolve, NthFromStartAndEnd) {
  EXPECT_EQ(find("{\"ev\":" + q(Ev::GoCreate) + "}"), 1);
  EXPECT_EQ(find("{\"ev\":" + q(Ev::GoCreate) + ",\"nth\":3}"), 3);
  EXPECT_EQ(find("{\"ev\":" + q(Ev::GoCreate) + ",\"nth\":-1}"), 5);
  EXPECT_EQ(find("{\"ev\":" + q(Ev::GoCreate) + ",\"nth\":-4}"), 1);
  EXPECT_EQ(find("{\"ev\":" + q(Ev::GoCreate) + ",\"nth\":5}"), kNoEvent);
  EXPECT_NE(last.find("only 4 such events in sample.jsonl"), std::string::npos) << last;
}

TEST_F(Resolve, CommonFieldsAndArgumentFilters) {
  EXPECT_EQ(find("{\"ev\":" + q(Ev::RunqSteal) + ",\"p\":1,\"args\":{\"runnext\":1}}"), 6);
  EXPECT_EQ(find("{\"ev\":" + q(Ev::RunqSteal) + ",\"args\":{\"gs\":3}}"), 4);
  EXPECT_EQ(find("{\"ev\":" + q(Ev::RunqSteal) + ",\"args\":{\"gs\":{\"len_max\":1}}}"), 6);
  EXPECT_EQ(find("{\"ev\":" + q(Ev::GoCreate) + ",\"args\":{\"label\":\"other\"}}"), 3);
  EXPECT_EQ(find("{\"ev\":" + q(Ev::SysmonPreempt) + ",\"args\":{\"ran\":{\"min\":\"10ms\"}}}"), 7);
  EXPECT_EQ(find("{\"ev\":" + q(Ev::SysmonPreempt) + ",\"args\":{\"ran\":{\"min\":\"20ms\"}}}"), kNoEvent);
  EXPECT_EQ(find("{\"ev\":" + q(Ev::Startup) + ",\"args\":{\"step\":\"rt0_go\"}}"), 0);
  EXPECT_EQ(find("{\"ev\":" + q(Ev::Startup) + ",\"args\":{\"step\":\"exit\"}}"), kNoEvent);
  EXPECT_NE(last.find("no such event"), std::string::npos) << last;
  EXPECT_NE(last.find("step=exit"), std::string::npos) << last;
}

TEST_F(Resolve, AfterAndBeforeBoundTheSearch) {
  std::string steal1 = "{\"ev\":" + q(Ev::RunqSteal) + "}";
  EXPECT_EQ(find("{\"ev\":" + q(Ev::GoCreate) + ",\"after\":" + steal1 + "}"), 5);
  EXPECT_EQ(find("{\"ev\":" + q(Ev::GoCreate) + ",\"before\":" + steal1 + ",\"nth\":-1}"), 3);
  EXPECT_EQ(find("{\"ev\":" + q(Ev::GoCreate) + ",\"after\":" + steal1 + ",\"nth\":2}"), kNoEvent);
}

TEST_F(Resolve, FromAndToBoundTheTime) {
  EXPECT_EQ(find("{\"ev\":" + q(Ev::GoCreate) + ",\"from\":\"350ns\"}"), 3);
  EXPECT_EQ(find("{\"ev\":" + q(Ev::GoCreate) + ",\"from\":300,\"to\":400,\"nth\":-1}"), 3);
  EXPECT_EQ(find("{\"ev\":" + q(Ev::SysmonPreempt) + ",\"to\":\"1ms\"}"), kNoEvent);
  EXPECT_EQ(describe(sel("{\"ev\":" + q(Ev::SysmonPreempt) + ",\"from\":\"1s\"}")),
            "the first " + std::string(eventName(Ev::SysmonPreempt)) + " from 1s");
}

TEST_F(Resolve, GoroutineAndTimeTargets) {
  Jump j;
  j.kind = Jump::Kind::Goroutine;
  j.goroutine = 4;
  j.highlight = 4;
  Resolved r = resolve(j, *m);
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.event, 3);  // its GoCreate
  EXPECT_EQ(r.goroutine, 4);
  j.goroutine = 99;
  EXPECT_FALSE(resolve(j, *m).ok());

  j = Jump{};
  j.kind = Jump::Kind::Time;
  j.time = 550;
  r = resolve(j, *m);
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.event, 5);
  EXPECT_EQ(r.time, 550);
  j.time = 30'000'000;
  r = resolve(j, *m);
  EXPECT_FALSE(r.ok());
  EXPECT_NE(r.error.find("past the end"), std::string::npos) << r.error;
}

TEST_F(Resolve, EventJumpCarriesPanelWindowAndTime) {
  Jump j;
  j.event = sel("{\"ev\":" + q(Ev::RunqSteal) + ",\"nth\":2}");
  j.panel = Panel::Scheduler;
  j.window = 1000;
  Resolved r = resolve(j, *m);
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.event, 6);
  EXPECT_EQ(r.time, 700);
  EXPECT_EQ(r.panel, Panel::Scheduler);
  EXPECT_EQ(r.window, 1000);
}

TEST(Describe, ReadsLikeASentence) {
  EventSelector s = sel("{\"ev\":" + q(Ev::RunqSteal) + ",\"nth\":2,\"p\":1,\"args\":{\"gs\":{\"contains\":7}}}");
  EXPECT_EQ(describe(s), "the 2nd " + std::string(eventName(Ev::RunqSteal)) + " with p=1, gs containing G7");
  s = sel("{\"ev\":" + q(Ev::SysmonPreempt) + ",\"nth\":-1,\"args\":{\"ran\":{\"min\":\"10ms\"}}}");
  EXPECT_EQ(describe(s), "the last " + std::string(eventName(Ev::SysmonPreempt)) + " with ran>=10ms");
}

}  // namespace
}  // namespace gmps::guide
