// teaching_test.cpp — the replay, the scheduler panel, the startup walkthrough and
// guided mode, rendered off-screen (run under xvfb-run) and checked against the model:
// the play head's event, the G tokens the scheduler panel draws for each P's queue (in
// order, in each G's colour, where the panel's layout says), the step the startup
// panel lights, the guided step each command or click lands on.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>

#include "core/colors.h"
#include "core/walkthrough.h"
#include "shot_util.h"

namespace gmps::viewer {
namespace {

using namespace shots;
using model::Ev;

std::string dataPath(const char* name) { return std::string(GMPS_TEST_DATA_DIR) + "/" + name; }
std::string fanoutPath() { return dataPath("fanout3.jsonl"); }

struct Rect {
  double x0, y0, x1, y1;
  double cx() const { return (x0 + x1) / 2; }
  double cy() const { return (y0 + y1) / 2; }
};
Rect rect(const nlohmann::json& j) { return {j[0], j[1], j[2], j[3]}; }

std::string at(double x, double y) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.0f %.0f", x, y);
  return buf;
}

model::EventIndex nth(const model::TraceModel& m, Ev ev, int n = 0) {
  for (size_t i = 0; i < m.events().size(); i++)
    if (m.events()[i].ev == ev && n-- == 0) return model::EventIndex(i);
  return model::kNoEvent;
}

// Line 112 of fanout3.jsonl is the RunqSteal by which P1 takes ten Gs from P0.
const Shot& atSteal() {
  static const Shot s = render(fanoutPath(), "teach_steal", 1600, 900, "line=112");
  return s;
}

// The tokens of one queue of the scheduler panel, in queue order.
std::vector<const nlohmann::json*> tokens(const Shot& s, const char* slot, int p) {
  std::vector<const nlohmann::json*> out;
  for (const auto& t : s.layout["scheduler"]["tokens"])
    if (t["slot"] == slot && t["p"] == p) out.push_back(&t);
  std::sort(out.begin(), out.end(), [](auto* a, auto* b) { return (*a)["index"] < (*b)["index"]; });
  return out;
}

// checkSchedulerMatchesModel: every P row, every token in every queue, in order and in
// its G's colour, is what the model's replay says is there after the play head's event.
void checkSchedulerMatchesModel(const Shot& s) {
  const auto& sch = s.layout["scheduler"];
  ASSERT_TRUE(sch.is_object());
  model::EventIndex cur = s.layout["replay"]["cur"];
  ASSERT_EQ(int(sch["cur"]), cur);
  model::SchedState st = s.model->stateAfter(cur + 1);
  ASSERT_EQ(sch["procs"].size(), st.procs.size());
  int colours = 0, checked = 0;
  auto colourOk = [&](const nlohmann::json& t) {
    Rect b = rect(t["box"]);
    Rgba got = s.at(b.x0 + 4, b.cy()), want = gColor(int(t["g"]));
    checked++;
    colours += near(got, want, 4);
    EXPECT_TRUE(near(got, want, 4)) << "G" << t["g"] << " at " << b.x0 + 4 << "," << b.cy() << ": " << hex(got)
                                    << " want " << hex(want);
  };
  for (const model::ProcState& ps : st.procs) {
    const auto& row = sch["procs"][size_t(ps.id)];
    EXPECT_EQ(row["idle"].get<bool>(), ps.m < 0) << "P" << ps.id;
    auto local = tokens(s, "local", ps.id);
    EXPECT_EQ(int(local.size()), int(row["shown"])) << "P" << ps.id;
    EXPECT_EQ(int(row["shown"]) + int(row["hidden"]), int(ps.runq.size())) << "P" << ps.id;
    Rect rowBox = rect(row["row"]);
    double lastX = -1;
    for (size_t i = 0; i < local.size(); i++) {
      EXPECT_EQ(int((*local[i])["g"]), ps.runq[i]) << "P" << ps.id << " queue position " << i;
      Rect b = rect((*local[i])["box"]);
      EXPECT_GT(b.x0, lastX);
      EXPECT_GE(b.y0, rowBox.y0);
      EXPECT_LE(b.y1, rowBox.y1);
      lastX = b.x0;
      colourOk(*local[i]);
    }
    auto running = tokens(s, "running", ps.id);
    ASSERT_EQ(running.size(), ps.curg >= 0 ? 1u : 0u) << "P" << ps.id;
    if (ps.curg >= 0) {
      EXPECT_EQ(int((*running[0])["g"]), ps.curg);
      colourOk(*running[0]);
    }
    auto runnext = tokens(s, "runnext", ps.id);
    ASSERT_EQ(runnext.size(), ps.runnext >= 0 ? 1u : 0u) << "P" << ps.id;
    if (ps.runnext >= 0) {
      EXPECT_EQ(int((*runnext[0])["g"]), ps.runnext);
      colourOk(*runnext[0]);
    }
  }
  auto global = tokens(s, "global", -1);
  EXPECT_EQ(int(global.size()) + int(sch["global"]["hidden"]), int(st.globalQueue.size()));
  for (size_t i = 0; i < global.size(); i++) EXPECT_EQ(int((*global[i])["g"]), st.globalQueue[i]), colourOk(*global[i]);
  EXPECT_EQ(sch["ms"].size(), st.machines.size());
  EXPECT_EQ(colours, checked);
}

// ------------------------------------------------------------------ scheduler panel

TEST(SchedulerPanel, DrawsTheQueuesAtThePlayHead) {
  const Shot& s = atSteal();
  ASSERT_EQ(s.rc, 0);
  ASSERT_NE(s.model, nullptr);
  EXPECT_EQ(s.layout["bottomTab"], "scheduler");
  model::EventIndex steal = nth(*s.model, Ev::RunqSteal);
  EXPECT_EQ(int(s.layout["replay"]["cur"]), steal);
  checkSchedulerMatchesModel(s);
  // Right after the steal: P0 still runs G5 and holds G16..G24 (it lost G6..G15).
  auto p0 = tokens(s, "local", 0);
  ASSERT_EQ(p0.size(), 9u);
  EXPECT_EQ((*p0[0])["g"], 16);
  EXPECT_EQ((*p0[8])["g"], 24);
  EXPECT_EQ(tokens(s, "running", 0).size(), 1u);
  auto p1 = tokens(s, "local", 1);
  ASSERT_EQ(p1.size(), 9u);  // the tenth stolen G, G15, is the one P1 runs next
  EXPECT_EQ((*p1[0])["g"], 6);
}

TEST(SchedulerPanel, StepKeysMoveThePlayHeadAndTheTokensSettle) {
  const Shot& base = atSteal();
  model::EventIndex steal = base.layout["replay"]["cur"];
  Shot s = render(fanoutPath(), "teach_step", 1600, 900, "line=112", "key right; key right; key left; wait 40");
  ASSERT_EQ(s.rc, 0);
  EXPECT_EQ(int(s.layout["replay"]["cur"]), steal + 1);
  EXPECT_FALSE(s.layout["replay"]["playing"].get<bool>());
  // Each step selects the event the play head is on (the details panel explains it).
  EXPECT_EQ(s.layout["state"]["selection"]["set"], "event");
  EXPECT_EQ(int(s.layout["state"]["selection"]["index"]), steal + 1);
  checkSchedulerMatchesModel(s);  // the moves have ended where the layout says
  Shot ten = render(fanoutPath(), "teach_step10", 1600, 900, "line=112", "key shift+right; wait 40");
  EXPECT_EQ(int(ten.layout["replay"]["cur"]), steal + 10);
  checkSchedulerMatchesModel(ten);
}

TEST(SchedulerPanel, SpacePlaysAndPauses) {
  const Shot& base = atSteal();
  model::EventIndex steal = base.layout["replay"]["cur"];
  Shot s = render(fanoutPath(), "teach_play", 1600, 900, "line=112; speed=100ev/s", "key space; wait 20; key space");
  ASSERT_EQ(s.rc, 0);
  EXPECT_GT(int(s.layout["replay"]["cur"]), steal);
  EXPECT_FALSE(s.layout["replay"]["playing"].get<bool>());
  EXPECT_EQ(s.layout["replay"]["speed"], "100 events/s");
}

TEST(SchedulerPanel, PlayingAdvancesAtTheChosenSpeed) {
  // Off-screen every frame counts 1/60 s: at 20 events/s, 60 frames play 20 events.
  const Shot& base = atSteal();
  model::EventIndex steal = base.layout["replay"]["cur"];
  Shot s = render(fanoutPath(), "teach_play_cmd", 1600, 900, "line=112; speed=20ev/s; play", "wait 60");
  ASSERT_EQ(s.rc, 0);
  int moved = int(s.layout["replay"]["cur"]) - steal;
  EXPECT_GE(moved, 20);
  EXPECT_LE(moved, 24);  // the frames before and after the script play too
  EXPECT_TRUE(s.layout["replay"]["playing"].get<bool>());
  EXPECT_EQ(int(s.layout["scheduler"]["cur"]), int(s.layout["replay"]["cur"]));
}

TEST(SchedulerPanel, TheInteractiveWindowKeepsDrawingWhilePlaying) {
  // An idle window sleeps between input events; a playing replay must not.
  fs::path layout = outDir() / "teach_interactive.layout.json";
  ::setenv("GMPSCOPE_VIEWER_LAYOUT", layout.c_str(), 1);
  Options o;
  o.file = fanoutPath();
  o.commands = "line=112; speed=100ev/s; play";
  o.ignoreSettings = true;
  o.maxFrames = 40;
  auto t0 = std::chrono::steady_clock::now();
  int rc = run(o);
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  ::unsetenv("GMPSCOPE_VIEWER_LAYOUT");
  ASSERT_EQ(rc, 0);
  std::ifstream in(layout);
  nlohmann::json l = nlohmann::json::parse(in, nullptr, false);
  ASSERT_TRUE(l.is_object());
  EXPECT_GT(int(l["replay"]["cur"]), int(atSteal().layout["replay"]["cur"]));
  EXPECT_LT(secs, 12) << "frames were not drawn back to back while playing";
}

TEST(SchedulerPanel, ClickingTheRulerPutsThePlayHeadThere) {
  Shot base = render(fanoutPath(), "teach_base");
  ASSERT_EQ(base.rc, 0);
  EXPECT_EQ(int(base.layout["replay"]["cur"]), 0);  // a trace opens on its first event
  double x = base.timeX0() + 500, y = double(base.layout["canvas"]["y0"]) - 8;
  Shot s = render(fanoutPath(), "teach_ruler", 1600, 900, "", "move " + at(x, y) + "; click");
  ASSERT_EQ(s.rc, 0);
  double ns = base.layout["view"]["nsPerPx"];
  double t = double(base.layout["view"]["startNs"]) + 500 * ns;
  EXPECT_NEAR(double(s.layout["replay"]["t"]), t, 1.5 * ns);
  model::EventIndex cur = s.layout["replay"]["cur"];
  EXPECT_LE(double(s.model->event(cur).ts), double(s.layout["replay"]["t"]));
  if (size_t(cur + 1) < s.model->events().size()) {
    EXPECT_GT(double(s.model->event(cur + 1).ts), double(s.layout["replay"]["t"]));
  }
  EXPECT_FALSE(s.layout["state"]["hasMeasure"].get<bool>());  // a click is not a zoom
}

TEST(SchedulerPanel, ClickingAGoroutineExplainsAndHighlightsIt) {
  const Shot& base = atSteal();
  auto p0 = tokens(base, "local", 0);
  ASSERT_GE(p0.size(), 3u);
  int g = (*p0[2])["g"];
  Rect b = rect((*p0[2])["box"]);
  Shot s = render(fanoutPath(), "teach_why", 1600, 900, "line=112", "move " + at(b.cx(), b.cy()) + "; click");
  ASSERT_EQ(s.rc, 0);
  EXPECT_EQ(int(s.layout["scheduler"]["whyG"]), g);
  EXPECT_EQ(int(s.layout["state"]["highlightG"]), g);
  // The token is ringed in the highlight colour.
  int ring = 0;
  for (double y = b.y0 - 3; y <= b.y1 + 3; y++)
    for (double x : {b.x0 - 2, b.x0 - 1, b.x1, b.x1 + 1}) ring += near(s.at(x, y), darkPalette().highlightG, 24);
  EXPECT_GE(ring, 8);
  // The why= command does the same.
  Shot w = render(fanoutPath(), "teach_why_cmd", 1600, 900, "line=112; why=" + std::to_string(g));
  EXPECT_EQ(int(w.layout["scheduler"]["whyG"]), g);
}

// ------------------------------------------------------------------ startup walkthrough

int stepIndex(const Shot& s, const char* id) {
  const auto& steps = s.layout["startup"]["steps"];
  for (size_t i = 0; i < steps.size(); i++)
    if (steps[i]["id"] == id) return int(i);
  return -1;
}

TEST(StartupPanel, ClickingAStepMovesThePlayHeadToItsEvent) {
  Shot s = render(fanoutPath(), "teach_walk", 1600, 900, "walk=schedinit");
  ASSERT_EQ(s.rc, 0);
  ASSERT_TRUE(s.layout["startup"]["loaded"].get<bool>()) << s.layout["startup"]["error"];
  EXPECT_EQ(s.layout["bottomTab"], "startup");
  int i = stepIndex(s, "schedinit");
  ASSERT_GE(i, 0);
  EXPECT_EQ(int(s.layout["startup"]["selected"]), i);
  int ev = s.layout["startup"]["steps"][size_t(i)]["event"];
  ASSERT_GE(ev, 0);
  EXPECT_EQ(s.model->event(ev).ev, Ev::ProcsChange);
  EXPECT_EQ(int(s.layout["replay"]["cur"]), ev);
  EXPECT_EQ(s.layout["startup"]["lit"], nlohmann::json::array({i}));
  // Now click another step's row in the list, as a user would.
  int j = stepIndex(s, "mstart");
  Rect row = rect(s.layout["startup"]["steps"][size_t(j)]["row"]);
  Shot c = render(fanoutPath(), "teach_walk_click", 1600, 900, "walk=schedinit",
                  "move " + at(row.cx(), row.cy()) + "; click");
  EXPECT_EQ(int(c.layout["startup"]["selected"]), j);
  EXPECT_EQ(int(c.layout["replay"]["cur"]), int(c.layout["startup"]["steps"][size_t(j)]["event"]));
  // The lit row is tinted: it differs from a row that is not lit.
  Rect lit = rect(c.layout["startup"]["steps"][size_t(j)]["row"]);
  Rect other = rect(c.layout["startup"]["steps"][0]["row"]);
  EXPECT_NE(hex(c.at(lit.x1 - 6, lit.cy())), hex(c.at(other.x1 - 6, other.cy())));
}

TEST(StartupPanel, SelectingAnEventInTheStartupRegionLightsItsStep) {
  Shot s = render(fanoutPath(), "teach_walk_args", 1600, 900, "walk=args");
  int args = stepIndex(s, "args");
  int ev = s.layout["startup"]["steps"][size_t(args)]["event"];
  // Select the event itself (as search results and links do): the args step lights.
  Shot e = render(fanoutPath(), "teach_walk_event", 1600, 900, "event=" + std::to_string(ev) + "; tab=startup");
  EXPECT_EQ(e.layout["startup"]["lit"], nlohmann::json::array({args}));
  // The program's own events (here the steal) belong to no step.
  Shot p = render(fanoutPath(), "teach_walk_none", 1600, 900, "line=112; tab=startup");
  EXPECT_TRUE(p.layout["startup"]["lit"].empty());
}

TEST(StartupPanel, AMissingOrBadFileIsAMessageNotACrash) {
  fs::path empty = outDir() / "no-tutorials";
  fs::create_directories(empty);
  ::setenv(kTutorialsEnv, empty.c_str(), 1);
  Shot m = render(fanoutPath(), "teach_walk_missing", 1600, 900, "tab=startup");
  fs::path bad = outDir() / "bad-tutorials";
  fs::create_directories(bad);
  std::ofstream(bad / "startup_walkthrough.json") << "{ \"format\": \"gmpscope-startup-walkthrough\", ";
  ::setenv(kTutorialsEnv, bad.c_str(), 1);
  Shot b = render(fanoutPath(), "teach_walk_bad", 1600, 900, "tab=startup");
  ::unsetenv(kTutorialsEnv);
  ASSERT_EQ(m.rc, 0);
  EXPECT_FALSE(m.layout["startup"]["loaded"].get<bool>());
  EXPECT_NE(std::string(m.layout["startup"]["error"]).find("startup_walkthrough.json"), std::string::npos)
      << m.layout["startup"]["error"];
  ASSERT_EQ(b.rc, 0);
  EXPECT_FALSE(b.layout["startup"]["loaded"].get<bool>());
  EXPECT_NE(std::string(b.layout["startup"]["error"]).find("bad-tutorials/startup_walkthrough.json"), std::string::npos)
      << b.layout["startup"]["error"];
}

// ------------------------------------------------------------------ guided mode

// A tutorials folder of our own, so guided mode is tested on frozen traces: the main
// run is fanout3, a second run ("pp") is pingpong.
fs::path guideRoot() {
  fs::path root = outDir() / "guide-root";
  fs::create_directories(root / "tutorials" / "90-test");
  fs::create_directories(root / "traces");
  fs::copy_file(fanoutPath(), root / "traces" / "90-test.jsonl", fs::copy_options::overwrite_existing);
  fs::copy_file(dataPath("pingpong.jsonl"), root / "traces" / "90-test-pp.jsonl", fs::copy_options::overwrite_existing);
  fs::copy_file(fs::path(GMPS_TUTORIALS_DIR) / "startup_walkthrough.json",
                root / "tutorials" / "startup_walkthrough.json", fs::copy_options::overwrite_existing);
  std::ofstream(root / "tutorials" / "90-test" / "steps.json") << R"({
  "format": "gmpscope-tutorial", "version": 1, "id": "90", "slug": "90-test",
  "title": "Viewer test", "summary": "guided mode under test",
  "demo": "fanout", "procs": 3, "trace": "traces/90-test.jsonl",
  "runs": [ { "name": "pp", "about": "ping-pong", "demo": "pingpong", "procs": 2, "trace": "traces/90-test-pp.jsonl" } ],
  "steps": [
    { "title": "The steal", "text": "P1 takes **half** of `P0`'s queue.\n\n- one\n- two",
      "jump": { "event": { "ev": "RunqSteal" }, "panel": "scheduler", "window": "100us" },
      "look": "The queues.", "question": "How many?", "answer": "Ten." },
    { "title": "G8", "text": "Its life.", "jump": { "goroutine": 8 },
      "look": "x", "question": "x", "answer": "x" },
    { "title": "A time", "text": "At 600 µs.", "jump": { "time": "600us", "panel": "stats" },
      "look": "x", "question": "x", "answer": "x" },
    { "title": "Ping-pong", "text": "Another run.", "jump": { "event": { "ev": "GoBlock" }, "run": "pp", "panel": "scheduler" },
      "look": "x", "question": "x", "answer": "x" },
    { "title": "Exit", "text": "Back to the main run.", "jump": { "event": { "ev": "Startup", "args": { "step": "exit" } }, "panel": "startup" },
      "look": "x", "question": "x", "answer": "x" }
  ]
})";
  return root;
}

Shot guided(const std::string& name, const std::string& commands = "", const std::string& input = "",
            const std::string& file = "", const std::string& tutorial = "90") {
  fs::path root = guideRoot();
  ::setenv(kTutorialsEnv, (root / "tutorials").c_str(), 1);
  Shot s = render(file, name, 1600, 900, commands, input, tutorial);
  ::unsetenv(kTutorialsEnv);
  return s;
}

TEST(GuidedMode, OpensTheTutorialsTraceAtItsFirstStep) {
  Shot s = guided("teach_guide1");
  ASSERT_EQ(s.rc, 0);
  const auto& g = s.layout["guide"];
  ASSERT_TRUE(g["active"].get<bool>());
  EXPECT_EQ(g["error"], "");
  EXPECT_EQ(g["tutorial"], "90");
  EXPECT_EQ(int(g["step"]), 0);
  EXPECT_EQ(int(g["steps"]), 5);
  EXPECT_EQ(g["run"], "main");
  EXPECT_EQ(s.layout["state"]["document"], "loaded");
  // The step's jump: the first steal, selected, under the play head, in a 100 µs window,
  // with the scheduler panel showing.
  auto r = model::loadTrace(fanoutPath());
  model::EventIndex steal = nth(*r.model, Ev::RunqSteal);
  EXPECT_EQ(int(s.layout["replay"]["cur"]), steal);
  EXPECT_EQ(int(s.layout["state"]["selection"]["index"]), steal);
  EXPECT_EQ(s.layout["bottomTab"], "scheduler");
  double width = double(s.layout["view"]["nsPerPx"]) * double(s.layout["view"]["widthPx"]);
  EXPECT_GT(width, 100e3);
  EXPECT_LT(width, 130e3);
}

TEST(GuidedMode, NextBackAndTheAnswer) {
  Shot base = guided("teach_guide_base");
  Rect next = rect(base.layout["guide"]["next"]);
  Rect reveal = rect(base.layout["guide"]["reveal"]);
  Shot n = guided("teach_guide_next", "", "move " + at(next.cx(), next.cy()) + "; click; wait 3");
  EXPECT_EQ(int(n.layout["guide"]["step"]), 1);
  EXPECT_EQ(int(n.layout["state"]["highlightG"]), 8);  // a goroutine jump highlights it
  auto r = model::loadTrace(fanoutPath());
  EXPECT_EQ(int(n.layout["replay"]["cur"]), r.model->goroutine(8)->created);
  Shot a = guided("teach_guide_answer", "", "move " + at(reveal.cx(), reveal.cy()) + "; click; wait 2");
  EXPECT_TRUE(a.layout["guide"]["answerShown"].get<bool>());
  Shot k = guided("teach_guide_keys", "", "key n; wait 2; key n; wait 2; key b; wait 2");
  EXPECT_EQ(int(k.layout["guide"]["step"]), 1);
}

TEST(GuidedMode, TimeJumpsAndPanels) {
  Shot s = guided("teach_guide_time", "step=3");
  EXPECT_EQ(int(s.layout["guide"]["step"]), 2);
  EXPECT_NEAR(double(s.layout["replay"]["t"]), 600e3, 0.5);
  EXPECT_EQ(s.layout["bottomTab"], "goroutines");
}

TEST(GuidedMode, AStepInAnotherRunLoadsThatRunsTrace) {
  Shot s = guided("teach_guide_run", "step=4");
  ASSERT_EQ(s.rc, 0);
  EXPECT_EQ(s.layout["guide"]["run"], "pp");
  EXPECT_EQ(s.layout["guide"]["stepError"], "");
  size_t procs = 0;
  for (const auto& r : s.layout["rows"]) procs += r["kind"] == "proc";
  EXPECT_EQ(procs, 2u);  // pingpong has two Ps
  auto pp = model::loadTrace(dataPath("pingpong.jsonl"));
  EXPECT_EQ(int(s.layout["replay"]["cur"]), nth(*pp.model, Ev::GoBlock));
  // And back to the main run.
  Shot b = guided("teach_guide_back", "step=4; step=5");
  EXPECT_EQ(b.layout["guide"]["run"], "main");
  EXPECT_EQ(b.layout["bottomTab"], "startup");
}

TEST(GuidedMode, AStepMissingFromAFreshRecordingFallsBackToTheCommittedTrace) {
  // pingpong has no RunqSteal: opened as "your recording" of the main run, step 1 falls
  // back to the committed trace of the main run, and says so.
  Shot s = guided("teach_guide_fallback", "", "", dataPath("pingpong.jsonl"));
  ASSERT_EQ(s.rc, 0);
  EXPECT_NE(std::string(s.layout["guide"]["note"]).find("committed trace"), std::string::npos)
      << s.layout["guide"]["note"];
  EXPECT_EQ(s.layout["guide"]["stepError"], "");
  auto r = model::loadTrace(fanoutPath());
  EXPECT_EQ(int(s.layout["replay"]["cur"]), nth(*r.model, Ev::RunqSteal));
}

TEST(GuidedMode, AnUnknownTutorialIsAMessage) {
  Shot s = guided("teach_guide_unknown", "", "", fanoutPath(), "77");
  ASSERT_EQ(s.rc, 0);
  EXPECT_NE(std::string(s.layout["guide"]["error"]).find("no tutorial \"77\""), std::string::npos)
      << s.layout["guide"]["error"];
  EXPECT_NE(std::string(s.layout["guide"]["error"]).find("90-test"), std::string::npos);
}

}  // namespace
}  // namespace gmps::viewer
