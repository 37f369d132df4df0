// screenshot_test.cpp — renders known traces off-screen (run under xvfb-run) and checks
// that the picture shows what the model says: at the pixels where a P lane has a
// span, the colour of the G it runs; where a G lane has a span, the colour of its
// state; where a queue holds Gs, the queue colour; the canvas where nothing is.
//
// The viewer writes where each lane and the time axis were (GMPSCOPE_VIEWER_LAYOUT),
// the test loads the same trace with the model and compares. Renders are kept in
// the build tree (tests/viewer/screenshots) for people to look at.
#include <gtest/gtest.h>
#include <stb_image.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <nlohmann/json.hpp>

#include "core/colors.h"
#include "core/inspect.h"
#include "core/settings.h"
#include "gmpscope/model/trace_model.h"
#include "gmpscope/viewer/viewer.h"
#include "shot_util.h"

namespace gmps::viewer {
namespace {

using namespace shots;

std::string fanoutPath() { return std::string(GMPS_TEST_DATA_DIR) + "/fanout3.jsonl"; }

// What the user sees when the scripted steps are done.
Shot act(const std::string& name, const std::string& input, const std::string& file = fanoutPath()) {
  return render(file, name, 1600, 900, "", input);
}

std::string at(double x, double y) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.0f %.0f", x, y);
  return buf;
}

const Shot& fanout() {
  static const Shot s = render(std::string(GMPS_TEST_DATA_DIR) + "/fanout3.jsonl", "fanout3");
  return s;
}

const Shot& pingpong() {
  static const Shot s = render(std::string(GMPS_TEST_DATA_DIR) + "/pingpong.jsonl", "pingpong", 1280, 800);
  return s;
}

std::vector<const nlohmann::json*> rows(const Shot& s, const char* kind) {
  std::vector<const nlohmann::json*> out;
  for (const auto& r : s.layout["rows"])
    if (r["kind"] == kind) out.push_back(&r);
  return out;
}

// Tally counts samples that matched; a few may be covered by a flow arrow or a mark.
struct Tally {
  int ok = 0, total = 0;
  std::vector<std::string> misses;
  void add(bool match, const std::string& what) {
    total++;
    ok += match;
    if (!match && misses.size() < 8) misses.push_back(what);
  }
  void expectMostly(double frac, int minTotal) const {
    EXPECT_GE(total, minTotal) << "too few places to check";
    EXPECT_GE(ok, int(frac * total)) << ok << " of " << total << " matched; e.g. "
                                     << (misses.empty() ? "" : misses[0]);
  }
};

// nearMark: x is within px of a mark of the lane, or under the count label a steal
// writes to the right of its arrow.
bool nearMark(const Shot& s, std::span<const model::EventIndex> marks, double x, double px) {
  for (model::EventIndex e : marks) {
    double xm = s.x(double(s.model->event(e).ts));
    if (std::fabs(xm - x) < px) return true;
    if (s.model->event(e).ev == trace::Ev::RunqSteal && x > xm && x < xm + 100) return true;
  }
  return false;
}

// -------------------------------------------------------------------------

TEST(Screenshot, RendersAndDescribesItsLayout) {
  const Shot& s = fanout();
  ASSERT_EQ(s.rc, 0);
  ASSERT_EQ(s.w, 1600);
  ASSERT_EQ(s.h, 900);
  ASSERT_TRUE(s.layout.is_object());
  ASSERT_NE(s.model, nullptr);
  EXPECT_EQ(rows(s, "proc").size(), 3u);
  EXPECT_EQ(rows(s, "runq").size(), 3u);
  EXPECT_EQ(rows(s, "globalrunq").size(), 1u);
  EXPECT_GE(rows(s, "machine").size(), 2u);
  EXPECT_GE(rows(s, "goroutine").size(), 3u);  // the first ones fit on screen
  // Fit to trace: the whole trace is between the gutter and the right edge.
  EXPECT_GE(s.x(double(s.model->startTime())), s.timeX0() - 1);
  EXPECT_LE(s.x(double(s.model->endTime())), s.right() + 1);
}

// The viewer draws ImGui's triangles with its own renderer, which picks the cheapest
// GL state per stretch of flat colour (gl_renderer.h); ImGui's own OpenGL3 backend
// must paint the same picture, pixel for pixel, on a busy frame with text, spans,
// arrows and the scheduler panel.
TEST(Screenshot, OwnRendererPaintsWhatImGuisBackendPaints) {
  const std::string cmds = "line=112; tab=scheduler";
  Shot own = render(fanoutPath(), "renderer_own", 1280, 800, cmds);
  ::setenv("GMPSCOPE_RENDERER", "imgui", 1);
  Shot theirs = render(fanoutPath(), "renderer_imgui", 1280, 800, cmds);
  ::unsetenv("GMPSCOPE_RENDERER");
  ASSERT_EQ(own.rc, 0);
  ASSERT_EQ(theirs.rc, 0);
  ASSERT_EQ(own.px.size(), size_t(1280) * 800 * 4);
  ASSERT_EQ(theirs.px.size(), own.px.size());
  int differ = 0, firstX = -1, firstY = -1;
  for (size_t i = 0; i < own.px.size(); i += 4) {
    bool same = true;
    for (int c = 0; c < 3; c++) same = same && std::abs(int(own.px[i + c]) - int(theirs.px[i + c])) <= 1;
    if (!same && differ++ == 0) {
      firstX = int(i / 4 % 1280);
      firstY = int(i / 4 / 1280);
    }
  }
  EXPECT_EQ(differ, 0) << "first at " << firstX << "," << firstY;
  // And the frame is not empty: many colours were painted.
  std::set<Rgba> colours;
  for (size_t i = 0; i < own.px.size(); i += 4 * 97) colours.insert(rgba(own.px[i], own.px[i + 1], own.px[i + 2]));
  EXPECT_GE(colours.size(), 20u);
}

TEST(Screenshot, ProcessorLanesShowTheGoroutineTheyRun) {
  const Shot& s = fanout();
  ASSERT_EQ(s.rc, 0);
  Tally t;
  for (const auto* r : rows(s, "proc")) {
    int p = (*r)["id"];
    double y = double((*r)["y1"]) - 3;
    const model::ProcLane& lane = s.model->procs()[size_t(p)];
    for (const model::Span& sp : lane.running) {
      double xa = std::max(s.x(double(s.model->spanStart(sp))), s.timeX0());
      double xb = std::min(s.x(double(s.model->spanEnd(sp))), s.right());
      if (xb - xa < 6) continue;
      for (double x : {std::ceil(xa) + 1, std::floor(xb) - 2}) {
        if (nearMark(s, lane.marks, x, 8)) continue;
        Rgba got = s.at(x, y), want = gColor(sp.other);
        t.add(near(got, want), "P" + std::to_string(p) + " G" + std::to_string(sp.other) + " at x=" +
                                   std::to_string(int(x)) + ": " + hex(got) + " want " + hex(want));
      }
    }
  }
  t.expectMostly(0.9, 10);
}

TEST(Screenshot, GoroutineLanesShowTheirStates) {
  for (const Shot* s : {&fanout(), &pingpong()}) {
    ASSERT_EQ(s->rc, 0);
    const Palette& pal = darkPalette();
    Tally t;
    std::map<int, int> states;
    for (const auto* r : rows(*s, "goroutine")) {
      int g = (*r)["id"];
      double y0 = (*r)["y0"], y1 = (*r)["y1"];
      if (y1 > double(s->layout["canvas"]["y1"])) continue;  // cut off at the bottom
      const model::GoroutineLane* lane = s->model->goroutine(g);
      ASSERT_NE(lane, nullptr);
      for (const model::Span& sp : lane->spans) {
        double xa = std::max(s->x(double(s->model->spanStart(sp))), s->timeX0());
        double xb = std::min(s->x(double(s->model->spanEnd(sp))), s->right());
        if (xb - xa < 6) continue;
        Rgba want = spanColor(pal, sp);
        for (double x : {std::ceil(xa) + 1, std::floor(xb) - 2}) {
          if (nearMark(*s, lane->marks, x, 5)) continue;
          for (double y : {y0 + 3, y1 - 3}) {
            Rgba got = s->at(x, y);
            t.add(near(got, want), "G" + std::to_string(g) + " " + spanStateText(sp) + ": " + hex(got) +
                                       " want " + hex(want));
          }
        }
        states[int(sp.kind)]++;
      }
    }
    t.expectMostly(0.9, 10);
    EXPECT_GE(states.size(), 2u) << "expected more than one goroutine state on screen";
  }
}

TEST(Screenshot, IdleProcessorsShowTheCanvas) {
  const Shot& s = fanout();
  ASSERT_EQ(s.rc, 0);
  const Palette& pal = darkPalette();
  Tally t;
  for (const auto* r : rows(s, "proc")) {
    int p = (*r)["id"];
    double y = double((*r)["y1"]) - 3;
    const model::ProcLane& lane = s.model->procs()[size_t(p)];
    // Gaps between the spans where an M holds the P: the P is idle.
    double prevEnd = double(s.model->startTime());
    std::vector<std::pair<double, double>> gaps;
    for (const model::Span& sp : lane.held) {
      gaps.emplace_back(prevEnd, double(s.model->spanStart(sp)));
      prevEnd = double(s.model->spanEnd(sp));
    }
    gaps.emplace_back(prevEnd, double(s.model->endTime()));
    for (auto [a, b] : gaps) {
      double xa = std::max(s.x(a), s.timeX0()), xb = std::min(s.x(b), s.right());
      if (xb - xa < 10) continue;
      double x = std::round((xa + xb) / 2) + 0.5;
      if (nearMark(s, lane.marks, x, 8)) continue;
      Rgba got = s.at(x, y);
      bool bg = near(got, pal.canvas, 2) || near(got, pal.laneAlt, 2) || near(got, pal.grid, 2);
      t.add(bg, "P" + std::to_string(p) + " idle at x=" + std::to_string(int(x)) + ": " + hex(got));
    }
  }
  t.expectMostly(0.9, 2);
}

TEST(Screenshot, RunQueueLanesFillWhileGoroutinesWait) {
  const Shot& s = fanout();
  ASSERT_EQ(s.rc, 0);
  const Palette& pal = darkPalette();
  Tally full, empty;
  for (const auto* r : rows(s, "runq")) {
    int p = (*r)["id"];
    double y = double((*r)["y1"]) - 2;
    const auto& pts = s.model->procs()[size_t(p)].runqLen;
    for (size_t i = 0; i < pts.size(); i++) {
      double a = double(s.model->event(pts[i].ev).ts);
      double b = i + 1 < pts.size() ? double(s.model->event(pts[i + 1].ev).ts) : double(s.model->endTime());
      double xa = std::max(s.x(a), s.timeX0()), xb = std::min(s.x(b), s.right());
      if (xb - xa < 6) continue;
      Rgba got = s.at(std::round((xa + xb) / 2) + 0.5, y);
      if (pts[i].value > 0)
        full.add(near(got, pal.runqLocal), "P" + std::to_string(p) + " queue " + hex(got));
      else
        empty.add(!near(got, pal.runqLocal), "P" + std::to_string(p) + " empty queue " + hex(got));
    }
  }
  full.expectMostly(0.9, 1);
  empty.expectMostly(0.9, 1);
}

TEST(Screenshot, RulerAndGutterAreDrawn) {
  const Shot& s = fanout();
  ASSERT_EQ(s.rc, 0);
  const Palette& pal = darkPalette();
  // The gutter left of the lanes holds the lane names on the ruler colour.
  const auto* p0 = rows(s, "proc").front();
  double y = double((*p0)["y0"]) + 2;
  int gutter = 0, text = 0;
  for (int x = int(s.layout["canvas"]["x0"]) + 2; x < int(s.timeX0()) - 2; x++) {
    Rgba c = s.at(x, y);
    gutter += near(c, pal.rulerBg, 2);
  }
  EXPECT_GT(gutter, 50);
  // Text pixels exist in the gutter rows (the labels "P0", "P1", ...).
  for (int yy = int((*p0)["y0"]); yy < int((*p0)["y1"]); yy++)
    for (int x = int(s.layout["canvas"]["x0"]); x < int(s.timeX0()); x++)
      text += luminance(s.at(x, yy)) > 0.5f;
  EXPECT_GT(text, 10) << "no lane label in the gutter";
}

TEST(Screenshot, CommandsSelectAnEventAndZoom) {
  // Line 112 of fanout3.jsonl is the RunqSteal by which P1 takes ten Gs from P0.
  Shot s = render(std::string(GMPS_TEST_DATA_DIR) + "/fanout3.jsonl", "fanout3_steal", 1600, 900,
                  "line=112; zoom=560us:720us");
  ASSERT_EQ(s.rc, 0);
  const Palette& pal = darkPalette();
  // The view shows the asked range.
  EXPECT_NEAR(s.x(560e3), s.timeX0() + 8, 2);
  EXPECT_NEAR(s.x(720e3), s.right() - 8, 2);
  // The steal is pinned on P1's lane in the selection colour.
  model::EventIndex steal = model::kNoEvent;
  for (size_t i = 0; i < s.model->events().size(); i++)
    if (s.model->lineOf(model::EventIndex(i)) == 112) steal = model::EventIndex(i);
  ASSERT_NE(steal, model::kNoEvent);
  ASSERT_EQ(s.model->event(steal).ev, trace::Ev::RunqSteal);
  const nlohmann::json* p1 = nullptr;
  for (const auto* r : rows(s, "proc"))
    if ((*r)["id"] == 1) p1 = r;
  ASSERT_NE(p1, nullptr);
  double x = std::round(s.x(double(s.model->event(steal).ts)));
  int pin = 0;
  for (double y = double((*p1)["y0"]); y < double((*p1)["y1"]); y++)
    for (double dx = -1; dx <= 1; dx++) pin += near(s.at(x + dx, y), pal.selection, 10);
  EXPECT_GE(pin, 10) << "no selection pin at x=" << x;
}

TEST(Screenshot, CommandsHighlightAGoroutine) {
  Shot s = render(std::string(GMPS_TEST_DATA_DIR) + "/fanout3.jsonl", "fanout3_g8", 1600, 900, "g=8");
  ASSERT_EQ(s.rc, 0);
  const Palette& pal = darkPalette();
  bool shown = false;
  for (const auto* r : rows(s, "goroutine")) shown |= (*r)["id"] == 8;
  EXPECT_TRUE(shown) << "G8's lane was not scrolled into view";
  // G8's spans are outlined in the highlight colour.
  int outline = 0;
  for (int y = 0; y < s.h; y++)
    for (int xx = 0; xx < s.w; xx++) outline += near(s.at(xx, y), pal.highlightG, 6);
  EXPECT_GE(outline, 40) << "no highlighted G8 span";
}

// ------------------------------------------------------------------- the mouse and keys

const nlohmann::json& rowOf(const Shot& s, const char* kind, int id) {
  for (const auto* r : rows(s, kind))
    if ((*r)["id"] == id) return *r;
  static const nlohmann::json none;
  return none;
}

TEST(Interaction, ClickSelectsTheSpanUnderTheMouse) {
  const Shot& base = fanout();
  const auto& p0 = rowOf(base, "proc", 0);
  ASSERT_FALSE(p0.is_null());
  // The widest span on P0.
  const auto& spans = base.model->procs()[0].running;
  size_t best = 0;
  for (size_t i = 1; i < spans.size(); i++)
    if (base.model->spanEnd(spans[i]) - base.model->spanStart(spans[i]) >
        base.model->spanEnd(spans[best]) - base.model->spanStart(spans[best]))
      best = i;
  double x = (base.x(double(base.model->spanStart(spans[best]))) + base.x(double(base.model->spanEnd(spans[best])))) / 2;
  double y = (double(p0["y0"]) + double(p0["y1"])) / 2;
  Shot s = act("click_span", "move " + at(x, y) + "; click");
  ASSERT_EQ(s.rc, 0);
  const auto& sel = s.layout["state"]["selection"];
  EXPECT_EQ(sel["set"], "proc_running");
  EXPECT_EQ(sel["lane"], 0);
  EXPECT_EQ(sel["index"], int(best));
  // The selected span is outlined in white.
  int white = 0;
  for (int yy = int(p0["y0"]); yy < int(p0["y1"]); yy++)
    for (int xx = int(base.x(double(base.model->spanStart(spans[best])))) - 1;
         xx <= int(base.x(double(base.model->spanStart(spans[best])))) + 2; xx++)
      white += near(s.at(xx, yy), darkPalette().selection, 10);
  EXPECT_GE(white, 8);
}

TEST(Interaction, ClickOnNothingClearsTheSelection) {
  const Shot& base = fanout();
  const auto& p2 = rowOf(base, "proc", 2);  // P2 never runs anything here
  double y = (double(p2["y0"]) + double(p2["y1"])) / 2;
  Shot s = act("click_nothing", "move " + at(base.timeX0() + 300, y) + "; click");
  EXPECT_EQ(s.layout["state"]["selection"]["set"], "none");
}

TEST(Interaction, TheWheelZoomsAroundTheMouse) {
  const Shot& base = fanout();
  const auto& p0 = rowOf(base, "proc", 0);
  double mx = base.timeX0() + 400, y = double(p0["y0"]) + 4;
  double tBefore = double(base.layout["view"]["startNs"]) + (mx - base.timeX0()) * double(base.layout["view"]["nsPerPx"]);
  Shot s = act("wheel_zoom", "move " + at(mx, y) + "; wheel 3");
  ASSERT_EQ(s.rc, 0);
  double before = base.layout["view"]["nsPerPx"], after = s.layout["view"]["nsPerPx"];
  EXPECT_NEAR(after, before * 0.8 * 0.8 * 0.8, before * 1e-6);
  double tAfter = double(s.layout["view"]["startNs"]) + (mx - s.timeX0()) * after;
  EXPECT_NEAR(tAfter, tBefore, after);  // within a pixel
}

TEST(Interaction, DraggingPansTimeAndFFitsAgain) {
  const Shot& base = fanout();
  const auto& p1 = rowOf(base, "proc", 1);
  double y = double(p1["y0"]) + 4, x = base.timeX0() + 600;
  Shot s = act("drag_pan", "wheel 0; move " + at(x, y) + "; wheel 4; drag " + at(x, y) + " " + at(x + 200, y));
  ASSERT_EQ(s.rc, 0);
  double ns = s.layout["view"]["nsPerPx"];
  // Zoomed in 4 notches around x, then the content moved 200 px right.
  double zoomedStart = double(base.layout["view"]["startNs"]) +
                       (x - base.timeX0()) * (double(base.layout["view"]["nsPerPx"]) - ns);
  EXPECT_NEAR(double(s.layout["view"]["startNs"]), zoomedStart - 200 * ns, 2 * ns);
  Shot f = act("drag_fit", "move " + at(x, y) + "; wheel 4; drag " + at(x, y) + " " + at(x + 200, y) + "; key f");
  EXPECT_NEAR(double(f.layout["view"]["startNs"]), double(base.layout["view"]["startNs"]), 1);
  EXPECT_NEAR(double(f.layout["view"]["nsPerPx"]), double(base.layout["view"]["nsPerPx"]), 1e-6);
}

TEST(Interaction, RightDragMeasuresAndZZoomsToIt) {
  const Shot& base = fanout();
  const auto& g1 = rowOf(base, "goroutine", 1);
  double y = double(g1["y0"]) + 3, xa = base.timeX0() + 300, xb = base.timeX0() + 700;
  Shot m = act("measure", "rdrag " + at(xa, y) + " " + at(xb, y));
  ASSERT_EQ(m.rc, 0);
  EXPECT_TRUE(m.layout["state"]["hasMeasure"].get<bool>());
  double ns = base.layout["view"]["nsPerPx"], t0 = base.layout["view"]["startNs"];
  EXPECT_NEAR(double(m.layout["state"]["measureA"]), t0 + 300 * ns, ns);
  EXPECT_NEAR(double(m.layout["state"]["measureB"]), t0 + 700 * ns, ns);
  Shot z = act("measure_zoom", "rdrag " + at(xa, y) + " " + at(xb, y) + "; key z");
  double zs = z.layout["view"]["startNs"], zn = z.layout["view"]["nsPerPx"], zw = z.layout["view"]["widthPx"];
  EXPECT_LT(zs, t0 + 300 * ns);
  EXPECT_GT(zs + zn * zw, t0 + 700 * ns);
  EXPECT_LT(zn, ns * 0.45);  // 400 of ~1000 px became the whole width
}

TEST(Interaction, ClickingAGroupHeaderFoldsIt) {
  const Shot& base = fanout();
  const auto& hdr = rowOf(base, "header", 3);  // Group::Machines
  ASSERT_FALSE(hdr.is_null());
  Shot s = act("fold_threads", "move " + at(base.timeX0() + 100, double(hdr["y0"]) + 5) + "; click");
  ASSERT_EQ(s.rc, 0);
  EXPECT_TRUE(rows(s, "machine").empty());
  ASSERT_EQ(s.layout["state"]["collapsed"].size(), 1u);
  EXPECT_EQ(s.layout["state"]["collapsed"][0], "Threads (M)");
  EXPECT_FALSE(rows(s, "header").empty());
}

TEST(Interaction, AScrolledGroupKeepsItsHeaderPinnedAndClickable) {
  const Shot& base = fanout();
  double y = double(base.layout["canvas"]["y0"]) + 5;
  Shot s = render(fanoutPath(), "sticky_fold", 1600, 900, "g=12", "move " + at(base.timeX0() + 100, y) + "; click");
  ASSERT_EQ(s.rc, 0);
  ASSERT_EQ(s.layout["state"]["collapsed"].size(), 1u);
  EXPECT_EQ(s.layout["state"]["collapsed"][0], "Goroutines (G)");
}

TEST(Interaction, ClickingAGoroutineNameHighlightsItsLife) {
  const Shot& base = fanout();
  const auto& g3 = rowOf(base, "goroutine", 3);
  ASSERT_FALSE(g3.is_null());
  Shot s = act("highlight_g3", "move " + at(double(base.layout["canvas"]["x0"]) + 30, double(g3["y0"]) + 5) + "; click");
  EXPECT_EQ(s.layout["state"]["highlightG"], 3);
}

TEST(Interaction, KeysOpenHelpAndTheFileBrowser) {
  Shot h = act("help", "char ?");
  EXPECT_TRUE(h.layout["state"]["showHelp"].get<bool>());
  Shot b = act("browser", "key ctrl+o");
  EXPECT_TRUE(b.layout["state"]["showBrowser"].get<bool>());
  Shot e = act("help_closed", "char ?; wait 2; key esc");
  EXPECT_FALSE(e.layout["state"]["showHelp"].get<bool>());
}

TEST(Interaction, HoldingWZoomsInAndSZoomsOut) {
  const Shot& base = fanout();
  double mx = base.timeX0() + 500;
  Shot w = act("hold_w", "move " + at(mx, 400) + "; hold w 10");
  EXPECT_LT(double(w.layout["view"]["nsPerPx"]), double(base.layout["view"]["nsPerPx"]));
  Shot sk = act("hold_s", "move " + at(mx, 400) + "; hold s 10");
  EXPECT_GT(double(sk.layout["view"]["nsPerPx"]), double(base.layout["view"]["nsPerPx"]));
  // A and D pan without zooming (amounts follow the frame time, so only the direction
  // is checked).
  Shot d = act("hold_d", "move " + at(mx, 400) + "; hold d 10");
  EXPECT_GT(double(d.layout["view"]["startNs"]), double(base.layout["view"]["startNs"]));
  EXPECT_DOUBLE_EQ(double(d.layout["view"]["nsPerPx"]), double(base.layout["view"]["nsPerPx"]));
  Shot a = act("hold_a", "move " + at(mx, 400) + "; hold a 10");
  EXPECT_LT(double(a.layout["view"]["startNs"]), double(base.layout["view"]["startNs"]));
}

TEST(Interaction, DroppingAFileOpensIt) {
  Shot s = render("", "drop", 1200, 700, "", "drop " + std::string(GMPS_TEST_DATA_DIR) + "/pingpong.jsonl");
  ASSERT_EQ(s.rc, 0);
  EXPECT_EQ(s.layout["state"]["document"], "loaded");
  EXPECT_EQ(rows(s, "proc").size(), 2u);
}

TEST(Interactive, TheWindowRestoresAndSavesTheUsersSettings) {
  fs::path xdg = outDir() / "xdg";
  fs::remove_all(xdg);
  fs::create_directories(xdg / "gmpscope");
  {
    std::ofstream ini(xdg / "gmpscope" / "viewer.ini");
    ini << "window.w = 1000\nwindow.h = 700\ngroup.collapsed = Threads (M)\nrecent = /old/trace.jsonl\n"
        << "panel.stats = 0\n";
  }
  fs::path layout = outDir() / "interactive.layout.json";
  ::setenv("XDG_CONFIG_HOME", xdg.c_str(), 1);
  ::setenv("GMPSCOPE_VIEWER_LAYOUT", layout.c_str(), 1);
  Options o;
  o.file = fanoutPath();
  o.maxFrames = 8;
  int rc = run(o);
  ::unsetenv("GMPSCOPE_VIEWER_LAYOUT");
  ::unsetenv("XDG_CONFIG_HOME");
  ASSERT_EQ(rc, 0);
  std::ifstream in(layout);
  nlohmann::json l = nlohmann::json::parse(in, nullptr, false);
  ASSERT_TRUE(l.is_object());
  EXPECT_EQ(l["state"]["document"], "loaded");
  EXPECT_EQ(l["state"]["collapsed"][0], "Threads (M)");
  for (const auto& r : l["rows"]) EXPECT_NE(r["kind"], "machine");
  // The statistics panel is off: the lanes reach the bottom of the 700 px window.
  EXPECT_GT(double(l["canvas"]["y1"]), 650);
  Settings after = loadSettings((xdg / "gmpscope" / "viewer.ini").string());
  ASSERT_EQ(after.recent.size(), 2u);
  EXPECT_EQ(after.recent[0], fs::absolute(fanoutPath()).string());
  EXPECT_EQ(after.recent[1], "/old/trace.jsonl");
  EXPECT_EQ(after.winW, 1000);
  EXPECT_EQ(after.winH, 700);
  EXPECT_FALSE(after.showStats);
  EXPECT_TRUE(isCollapsed(after, "Threads (M)"));
}

TEST(Screenshot, ABadCommandFailsBeforeAWindowOpens) {
  Options o;
  o.file = std::string(GMPS_TEST_DATA_DIR) + "/fanout3.jsonl";
  o.screenshot = (outDir() / "never.png").string();
  o.commands = "zoom=5ms:1ms";
  EXPECT_EQ(run(o), 1);
  EXPECT_FALSE(fs::exists(o.screenshot));
}

TEST(Screenshot, ABadTraceIsReportedInTheWindowAndByExitCode) {
  Shot s = render(std::string(GMPS_TEST_DATA_DIR) + "/bad_line7.jsonl", "bad_line7", 1280, 720);
  EXPECT_EQ(s.rc, 1);
  ASSERT_EQ(s.w, 1280) << "the window with the error should still be rendered";
  // The error box is dark red; count its pixels.
  int red = 0;
  for (int y = 0; y < s.h; y += 2)
    for (int x = 0; x < s.w; x += 2) red += near(s.at(x, y), rgba(82, 23, 26), 6);
  EXPECT_GT(red, 2000) << "no error box on screen";
}

TEST(Screenshot, AnUnwritablePathFailsBeforeOpeningAWindow) {
  Options o;
  o.file = std::string(GMPS_TEST_DATA_DIR) + "/pingpong.jsonl";
  o.screenshot = "/nonexistent-dir/x/out.png";
  EXPECT_EQ(run(o), 1);
  EXPECT_FALSE(fs::exists(o.screenshot));
}

TEST(Screenshot, TheWelcomeScreenWithoutATrace) {
  Options o;
  fs::path png = outDir() / "welcome.png";
  o.screenshot = png.string();
  o.width = 1000;
  o.height = 600;
  EXPECT_EQ(run(o), 0);
  EXPECT_TRUE(fs::exists(png));
}

}  // namespace
}  // namespace gmps::viewer
