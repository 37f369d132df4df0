// format_test.cpp — steps.json and startup_walkthrough.json: what validates, and
// that every rejection names the file and the field, as tutorials/README.md promises.
#include <gtest/gtest.h>

#include <iterator>
#include <utility>

#include <nlohmann/json.hpp>

#include "gmpscope/guide/guide.h"

namespace gmps::guide {
namespace {

using json = nlohmann::json;
using trace::Ev;
using trace::eventName;

// A minimal valid tutorial. Event names come from the event table, never spelt here.
json validTutorial() {
  return json{
      {"format", kTutorialFormat},
      {"version", kFormatVersion},
      {"id", "03"},
      {"slug", "03-work-stealing"},
      {"title", "Work stealing"},
      {"summary", "idle Ps take half of a busy P's queue"},
      {"demo", "steal"},
      {"procs", 2},
      {"n", 200},
      {"trace", "traces/03-work-stealing.jsonl"},
      {"steps",
       json::array({json{
           {"title", "The first steal"},
           {"text", "P1 had nothing to do."},
           {"jump",
            {{"event", {{"ev", eventName(Ev::RunqSteal)}, {"p", 1}, {"args", {{"victim", 0}}}, {"nth", 1}}},
             {"panel", "scheduler"},
             {"window", "2ms"}}},
           {"look", "the gs list"},
           {"question", "How many?"},
           {"answer", "Half, rounded up."}}})}};
}

std::string errorOf(const json& j, const std::string& name = "tutorials/03-work-stealing/steps.json") {
  Loaded<Tutorial> t = parseTutorial(j.dump(), name);
  EXPECT_FALSE(t.ok()) << "expected a rejection of " << j.dump();
  return t.error;
}

TEST(TutorialFormat, ValidFileLoadsWithEveryField) {
  Loaded<Tutorial> t = parseTutorial(validTutorial().dump(), "x/steps.json");
  ASSERT_TRUE(t.ok()) << t.error;
  const Tutorial& tu = *t.value;
  EXPECT_EQ(tu.file, "x/steps.json");
  EXPECT_EQ(tu.slug, "03-work-stealing");
  ASSERT_EQ(tu.runs.size(), 1u);
  EXPECT_EQ(tu.runs[0].name, "main");
  EXPECT_EQ(tu.runs[0].demo, "steal");
  EXPECT_EQ(tu.runs[0].procs, 2);
  EXPECT_EQ(tu.runs[0].n, 200);
  ASSERT_EQ(tu.steps.size(), 1u);
  const Jump& j = tu.steps[0].jump;
  EXPECT_EQ(j.kind, Jump::Kind::Event);
  EXPECT_EQ(j.event.ev, Ev::RunqSteal);
  EXPECT_EQ(j.event.p, 1);
  ASSERT_EQ(j.event.args.size(), 1u);
  EXPECT_EQ(j.event.args[0].arg, trace::argIndex(Ev::RunqSteal, "victim"));
  EXPECT_EQ(j.panel, Panel::Scheduler);
  EXPECT_EQ(j.window, 2'000'000);
  EXPECT_EQ(describe(j), "the first " + std::string(eventName(Ev::RunqSteal)) + " with p=1, victim=0");
}

TEST(TutorialFormat, ExtraRunsWithEnvAndStepsThatUseThem) {
  json j = validTutorial();
  j["runs"] = json::array({json{{"name", "off"},
                                {"about", "without async preemption"},
                                {"demo", "tightloop"},
                                {"procs", 1},
                                {"env", {{"GMPDEBUG", "asyncpreemptoff=1"}}},
                                {"trace", "traces/05-off.jsonl"}}});
  j["steps"][0]["jump"]["run"] = "off";
  Loaded<Tutorial> t = parseTutorial(j.dump(), "s.json");
  ASSERT_TRUE(t.ok()) << t.error;
  ASSERT_NE(t.value->run("off"), nullptr);
  EXPECT_EQ(t.value->run("off")->env.at(0), (std::pair<std::string, std::string>{"GMPDEBUG", "asyncpreemptoff=1"}));
  EXPECT_EQ(t.value->run(""), &t.value->runs[0]);

  j["steps"][0]["jump"]["run"] = "of";
  EXPECT_EQ(errorOf(j, "s.json"), "s.json: steps[0].jump.run: no run called \"of\" (define it in \"runs\")");
}

TEST(TutorialFormat, UnknownFieldIsATypo) {
  json j = validTutorial();
  j["steps"][0]["questoin"] = "?";
  EXPECT_EQ(errorOf(j), "tutorials/03-work-stealing/steps.json: steps[0].questoin: unknown field (a typo?)");
}

TEST(TutorialFormat, MissingFieldIsNamed) {
  json j = validTutorial();
  j["steps"][0].erase("answer");
  EXPECT_EQ(errorOf(j), "tutorials/03-work-stealing/steps.json: steps[0]: missing field \"answer\"");
}

TEST(TutorialFormat, UnknownEventName) {
  json j = validTutorial();
  j["steps"][0]["jump"]["event"]["ev"] = "RunqStel";
  EXPECT_EQ(errorOf(j),
            "tutorials/03-work-stealing/steps.json: steps[0].jump.event.ev: unknown event \"RunqStel\" "
            "(events.h lists them)");
}

TEST(TutorialFormat, ArgumentNotInTheEventsRow) {
  json j = validTutorial();
  j["steps"][0]["jump"]["event"]["args"] = {{"thief", 1}};
  std::string e = errorOf(j);
  EXPECT_NE(e.find("steps[0].jump.event.args.thief: "), std::string::npos) << e;
  EXPECT_NE(e.find("has no argument \"thief\" (it has victim, gs, runnext)"), std::string::npos) << e;
}

TEST(TutorialFormat, ArgumentOfTheWrongType) {
  json j = validTutorial();
  j["steps"][0]["jump"]["event"]["args"] = {{"victim", "P0"}};
  EXPECT_EQ(errorOf(j),
            "tutorials/03-work-stealing/steps.json: steps[0].jump.event.args.victim: expected an integer "
            "(a P id), got a string \"P0\"");
}

TEST(TutorialFormat, EnumValueMustBeInItsTable) {
  json j = validTutorial();
  j["steps"][0]["jump"]["event"] = {{"ev", eventName(Ev::RunqGet)}, {"args", {{"src", "stolen"}}}};
  std::string e = errorOf(j);
  EXPECT_NE(e.find("steps[0].jump.event.args.src: \"stolen\" is not a value of"), std::string::npos) << e;
  EXPECT_NE(e.find("\"steal\""), std::string::npos) << e;  // the message lists the legal values
}

TEST(TutorialFormat, FiltersOfEveryKind) {
  json j = validTutorial();
  j["steps"][0]["jump"]["event"] = {
      {"ev", eventName(Ev::RunqSteal)}, {"args", {{"gs", {{"len_min", 2}}}, {"victim", {{"min", 0}, {"max", 3}}}}}};
  ASSERT_TRUE(parseTutorial(j.dump(), "s").ok()) << parseTutorial(j.dump(), "s").error;
  j["steps"][0]["jump"]["event"] = {{"ev", eventName(Ev::SysmonPreempt)}, {"args", {{"ran", {{"min", "10ms"}}}}}};
  Loaded<Tutorial> t = parseTutorial(j.dump(), "s");
  ASSERT_TRUE(t.ok()) << t.error;
  EXPECT_EQ(t.value->steps[0].jump.event.args[0].lo, 10'000'000);
  j["steps"][0]["jump"]["event"] = {{"ev", eventName(Ev::GoCreate)}, {"args", {{"label", "runtime.main"}}}};
  ASSERT_TRUE(parseTutorial(j.dump(), "s").ok());
  j["steps"][0]["jump"]["event"] = {{"ev", eventName(Ev::SysmonPreempt)}, {"args", {{"ran", "ten ms"}}}};
  EXPECT_NE(errorOf(j).find("args.ran: \"ten ms\" is not a duration"), std::string::npos);
  j["steps"][0]["jump"]["event"] = {{"ev", eventName(Ev::RunqSteal)}, {"args", {{"victim", {{"min", 3}, {"max", 1}}}}}};
  EXPECT_NE(errorOf(j).find("args.victim: \"min\" is greater than \"max\""), std::string::npos);
}

TEST(TutorialFormat, NthCountsFromOneOrFromTheEnd) {
  json j = validTutorial();
  j["steps"][0]["jump"]["event"]["nth"] = 0;
  EXPECT_NE(errorOf(j).find("steps[0].jump.event.nth: counts from 1 (or from -1, the last)"), std::string::npos);
  j["steps"][0]["jump"]["event"]["nth"] = -1;
  EXPECT_TRUE(parseTutorial(j.dump(), "s").ok());
}

TEST(TutorialFormat, TimeWindowOfASelector) {
  json j = validTutorial();
  j["steps"][0]["jump"]["event"]["from"] = "1s";
  j["steps"][0]["jump"]["event"]["to"] = "1.5s";
  Loaded<Tutorial> t = parseTutorial(j.dump(), "s");
  ASSERT_TRUE(t.ok()) << t.error;
  EXPECT_EQ(t.value->steps[0].jump.event.from, 1'000'000'000);
  EXPECT_EQ(t.value->steps[0].jump.event.to, 1'500'000'000);
  j["steps"][0]["jump"]["event"]["to"] = "0.5s";
  EXPECT_NE(errorOf(j).find("steps[0].jump.event: \"from\" is later than \"to\""), std::string::npos);
}

TEST(TutorialFormat, ExactlyOneJumpTarget) {
  json j = validTutorial();
  j["steps"][0]["jump"]["goroutine"] = 7;
  EXPECT_NE(errorOf(j).find("steps[0].jump: needs exactly one target"), std::string::npos);
  j["steps"][0]["jump"].erase("goroutine");
  j["steps"][0]["jump"].erase("event");
  EXPECT_NE(errorOf(j).find("steps[0].jump: needs exactly one target"), std::string::npos);
  j["steps"][0]["jump"]["time"] = "1.5ms";
  Loaded<Tutorial> t = parseTutorial(j.dump(), "s");
  ASSERT_TRUE(t.ok()) << t.error;
  EXPECT_EQ(t.value->steps[0].jump.time, 1'500'000);
}

TEST(TutorialFormat, PanelsAreAFixedSet) {
  json j = validTutorial();
  j["steps"][0]["jump"]["panel"] = "queues";
  EXPECT_EQ(errorOf(j),
            "tutorials/03-work-stealing/steps.json: steps[0].jump.panel: \"queues\" is not a panel "
            "(timeline, scheduler, startup, stats, goroutines, processors, latency, events)");
}

TEST(TutorialFormat, PanelsNameEveryStatisticsTab) {
  const std::pair<const char*, Panel> kNames[] = {
      {"timeline", Panel::Timeline},     {"scheduler", Panel::Scheduler},   {"startup", Panel::Startup},
      {"stats", Panel::Stats},           {"goroutines", Panel::Goroutines}, {"processors", Panel::Processors},
      {"latency", Panel::Latency},       {"events", Panel::Events}};
  static_assert(std::size(kNames) == size_t(Panel::Count));
  for (auto [name, panel] : kNames) {
    json j = validTutorial();
    j["steps"][0]["jump"]["panel"] = name;
    Loaded<Tutorial> t = parseTutorial(j.dump(), "x/steps.json");
    ASSERT_TRUE(t.ok()) << name << ": " << t.error;
    EXPECT_EQ(t.value->steps[0].jump.panel, panel) << name;
    EXPECT_STREQ(panelName(panel), name);
  }
  json j = validTutorial();
  j["steps"][0]["jump"].erase("panel");
  Loaded<Tutorial> t = parseTutorial(j.dump(), "x/steps.json");
  ASSERT_TRUE(t.ok()) << t.error;
  EXPECT_EQ(t.value->steps[0].jump.panel, Panel::Timeline);
  j["steps"][0]["jump"]["panel"] = "Processors";  // names are lower case
  EXPECT_NE(errorOf(j).find("\"Processors\" is not a panel"), std::string::npos);
}

TEST(TutorialFormat, RunSettingsAreChecked) {
  json j = validTutorial();
  j["procs"] = 0;
  EXPECT_NE(errorOf(j).find(": procs: 0 is out of range [1, 1024]"), std::string::npos);
  j = validTutorial();
  j["env"] = {{"GMPDEBUG", "schedtrace=1000 scheddetail=1"}};
  EXPECT_NE(errorOf(j).find("env.GMPDEBUG: no spaces"), std::string::npos);
  j = validTutorial();
  j["trace"] = "03.jsonl";
  EXPECT_NE(errorOf(j).find("trace: expected \"traces/NAME.jsonl\""), std::string::npos);
  j = validTutorial();
  j["slug"] = "04-channels";
  EXPECT_NE(errorOf(j).find("slug: expected \"03-topic\""), std::string::npos);
}

TEST(TutorialFormat, NotJsonSaysWhere) {
  Loaded<Tutorial> t = parseTutorial("{\n  \"format\": \"gmpscope-tutorial\",\n  oops\n}", "bad.json");
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.error.rfind("bad.json: not valid JSON: parse error at line 3", 0), 0u) << t.error;
}

TEST(TutorialFormat, WrongFormatOrVersion) {
  json j = validTutorial();
  j["format"] = kWalkthroughFormat;
  EXPECT_NE(errorOf(j).find("format: expected \"gmpscope-tutorial\""), std::string::npos);
  j = validTutorial();
  j["version"] = 2;
  EXPECT_NE(errorOf(j).find("version: version 2 is not supported"), std::string::npos);
}

TEST(WalkthroughFormat, StepNeedsGoOursAndTrace) {
  json selector = {{"ev", eventName(Ev::Startup)}, {"args", {{"step", "check"}}}};
  json jump = {{"event", selector}};
  json step = {{"id", "check"},
               {"title", "check"},
               {"go", {{"where", "runtime1.go check"}, {"what", "sanity checks"}, {"gdb", "break runtime.check"}}},
               {"gmpscope", {{"where", "runtime/src/startup.cpp check"}, {"what", "the same"}}},
               {"trace", {{"what", "Startup step=check"}, {"jump", jump}}}};
  json w = {{"format", kWalkthroughFormat},
            {"version", kFormatVersion},
            {"trace", "traces/01-startup.jsonl"},
            {"steps", json::array({step})}};
  Loaded<Walkthrough> ok = parseWalkthrough(w.dump(), "w.json");
  ASSERT_TRUE(ok.ok()) << ok.error;
  EXPECT_EQ(ok.value->steps[0].gdb, "break runtime.check");

  json bad = w;
  bad["steps"][0]["trace"]["jump"] = {{"time", "1ms"}};
  EXPECT_EQ(parseWalkthrough(bad.dump(), "w.json").error,
            "w.json: steps[0].trace: jump: a walkthrough step must name an event");
  bad = w;
  bad["steps"][0]["gmpscope"].erase("where");
  EXPECT_EQ(parseWalkthrough(bad.dump(), "w.json").error, "w.json: steps[0].gmpscope: missing field \"where\"");
  bad = w;
  bad["steps"].push_back(step);
  EXPECT_EQ(parseWalkthrough(bad.dump(), "w.json").error, "w.json: steps[1].id: \"check\" is used twice");
}

TEST(Durations, ParseAndFormat) {
  Ns ns = 0;
  EXPECT_TRUE(parseDuration("1500", ns));
  EXPECT_EQ(ns, 1500);
  EXPECT_TRUE(parseDuration("1.5us", ns));
  EXPECT_EQ(ns, 1500);
  EXPECT_TRUE(parseDuration("2ms", ns));
  EXPECT_EQ(ns, 2'000'000);
  EXPECT_TRUE(parseDuration("0.5s", ns));
  EXPECT_EQ(ns, 500'000'000);
  EXPECT_FALSE(parseDuration("2 ms", ns));
  EXPECT_FALSE(parseDuration("ms", ns));
  EXPECT_FALSE(parseDuration("1.2.3ms", ns));
  EXPECT_EQ(formatDuration(1'500'000), "1.5ms");
  EXPECT_EQ(formatDuration(250'000), "250us");
  EXPECT_EQ(formatDuration(42), "42ns");
}

}  // namespace
}  // namespace gmps::guide
