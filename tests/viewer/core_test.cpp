// core_test.cpp — the viewer's pure helpers: time geometry, ruler, colours, counter
// level of detail, lane layout, settings. No display needed.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string_view>

#include "core/colors.h"
#include "core/commands.h"
#include "gmpscope/tracer/events.h"
#include "core/layout.h"
#include "core/lod.h"
#include "core/ruler.h"
#include "core/settings.h"
#include "core/timeview.h"

namespace gmps::viewer {
namespace {

// ---------------------------------------------------------------- TimeView

TEST(TimeView, MapsTimeToPixelsAndBack) {
  TimeView v{1000, 10, 800};
  EXPECT_DOUBLE_EQ(v.xOf(1000), 0);
  EXPECT_DOUBLE_EQ(v.xOf(2000), 100);
  EXPECT_DOUBLE_EQ(v.tOf(100), 2000);
  EXPECT_DOUBLE_EQ(v.endNs(), 9000);
}

TEST(TimeView, ZoomKeepsTheTimeUnderTheMouse) {
  TimeView v{0, 100, 1000};
  double before = v.tOf(250);
  v.zoomAt(250, 0.5, 1e9);
  EXPECT_DOUBLE_EQ(v.nsPerPx, 50);
  EXPECT_NEAR(v.tOf(250), before, 1e-9);
  v.zoomAt(900, 4, 1e9);
  EXPECT_NEAR(v.tOf(900), before + (900 - 250) * 50.0, 1e-6);
}

TEST(TimeView, ZoomIsClampedBothWays) {
  TimeView v{0, 1, 1000};
  v.zoomAt(0, 1e-9, 1e9);
  EXPECT_DOUBLE_EQ(v.nsPerPx, TimeView::kMinNsPerPx);
  v.zoomAt(0, 1e30, 500);
  EXPECT_DOUBLE_EQ(v.nsPerPx, 500);
}

TEST(TimeView, FitShowsTheWholeRangeWithMargins) {
  TimeView v{0, 1, 1012};
  v.fit(5000, 6000, 6);
  EXPECT_NEAR(v.xOf(5000), 6, 1e-9);
  EXPECT_NEAR(v.xOf(6000), 1006, 1e-9);
}

TEST(TimeView, PanMovesByPixels) {
  TimeView v{0, 20, 1000};
  v.pan(50);
  EXPECT_DOUBLE_EQ(v.startNs, 1000);
  v.clampTo(0, 100);
  EXPECT_LE(v.startNs, 100 - 0.5 * 20 * 1000 + 1e-9 + 10000);
}

TEST(TimeView, ClampRangeLeavesARangeInsideTheTraceAlone) {
  TimeRange r = clampRange({200, 500}, 100, 1000);
  EXPECT_DOUBLE_EQ(r.t0, 200);
  EXPECT_DOUBLE_EQ(r.t1, 500);
  r = clampRange({100, 1000}, 100, 1000);  // exactly the trace
  EXPECT_DOUBLE_EQ(r.t0, 100);
  EXPECT_DOUBLE_EQ(r.t1, 1000);
}

TEST(TimeView, ClampRangeShiftsAWindowBeforeTheStartRight) {
  // A step's 300 ms window around an event at 30 ms would show -120 ms .. 180 ms.
  TimeRange r = clampRange({-120e6, 180e6}, 0, 522e6);
  EXPECT_DOUBLE_EQ(r.t0, 0);
  EXPECT_DOUBLE_EQ(r.t1, 300e6);
  r = clampRange({50, 350}, 100, 1000);  // a trace that does not start at 0
  EXPECT_DOUBLE_EQ(r.t0, 100);
  EXPECT_DOUBLE_EQ(r.t1, 400);
}

TEST(TimeView, ClampRangeShiftsAWindowAfterTheEndLeft) {
  TimeRange r = clampRange({800, 1200}, 100, 1000);
  EXPECT_DOUBLE_EQ(r.t0, 600);
  EXPECT_DOUBLE_EQ(r.t1, 1000);
  EXPECT_DOUBLE_EQ(r.width(), 400);
}

TEST(TimeView, ClampRangeWiderThanTheTraceIsTheTrace) {
  TimeRange r = clampRange({-500, 1500}, 100, 1000);
  EXPECT_DOUBLE_EQ(r.t0, 100);
  EXPECT_DOUBLE_EQ(r.t1, 1000);
  r = clampRange({0, 2000}, 100, 1000);  // wider and overlapping the start only
  EXPECT_DOUBLE_EQ(r.t0, 100);
  EXPECT_DOUBLE_EQ(r.t1, 1000);
  r = clampRange({400, 600}, 500, 500);  // a trace of one instant
  EXPECT_DOUBLE_EQ(r.t0, 500);
  EXPECT_DOUBLE_EQ(r.t1, 500);
}

// ---------------------------------------------------------------- ruler

TEST(Ruler, StepsAreOneTwoFiveTimesAPowerOfTen) {
  for (double nsPerPx : {0.03, 0.7, 1.0, 3.3, 47.0, 1234.5, 8e5, 3e7}) {
    TickStep s = tickStepFor(nsPerPx, 100);
    EXPECT_GE(s.major / nsPerPx, 100 - 1e-9) << nsPerPx;
    EXPECT_LT(s.major / nsPerPx, 100 * 2.5 + 1e-9) << nsPerPx;
    double m = s.major / std::pow(10, std::floor(std::log10(s.major) + 1e-9));
    EXPECT_TRUE(std::fabs(m - 1) < 1e-6 || std::fabs(m - 2) < 1e-6 || std::fabs(m - 5) < 1e-6)
        << s.major;
    double perMajor = s.major / s.minor;
    EXPECT_NEAR(perMajor, std::round(perMajor), 1e-9);
  }
  EXPECT_GE(tickStepFor(0.001, 10).major, 1);  // never below a nanosecond
}

TEST(Ruler, TicksCoverTheViewAndMajorsAreOnTheStep) {
  TimeView v{12345, 37, 1500};
  TickStep s = tickStepFor(v.nsPerPx, 110);
  std::vector<Tick> ticks = rulerTicks(v, 110);
  ASSERT_FALSE(ticks.empty());
  EXPECT_LE(ticks.front().t, v.startNs + s.minor);
  EXPECT_GE(ticks.back().t, v.endNs() - s.minor);
  int majors = 0;
  for (const Tick& t : ticks) {
    EXPECT_NEAR(t.x, v.xOf(t.t), 1e-6);
    if (t.major) {
      majors++;
      EXPECT_NEAR(std::fmod(t.t, s.major), 0, 1e-6);
    }
  }
  EXPECT_GE(majors, 5);
}

TEST(Ruler, DurationsReadLikeAPersonWouldWriteThem) {
  EXPECT_EQ(formatDuration(0), "0 ns");
  EXPECT_EQ(formatDuration(850), "850 ns");
  EXPECT_EQ(formatDuration(1000), "1.00 µs");
  EXPECT_EQ(formatDuration(12400), "12.4 µs");
  EXPECT_EQ(formatDuration(123456), "123 µs");
  EXPECT_EQ(formatDuration(3.21e6), "3.21 ms");
  EXPECT_EQ(formatDuration(1.5e9), "1.50 s");
  EXPECT_EQ(formatDuration(250e9), "250 s");
}

TEST(Ruler, TimestampsUseTheValuesUnitAndTheStepsDecimals) {
  EXPECT_EQ(formatTimestamp(0, 1000), "0");
  EXPECT_EQ(formatTimestamp(1.4e6, 2e5), "1.4 ms");
  EXPECT_EQ(formatTimestamp(2e6, 1e6), "2 ms");
  EXPECT_EQ(formatTimestamp(500, 100), "500 ns");
  EXPECT_EQ(formatTimestamp(12.3456e9, 1e5), "12.3456 s");
  EXPECT_EQ(formatTimestamp(1500, 500), "1.5 µs");
  // Neighbouring labels differ at every zoom.
  for (double step : {1.0, 2.0, 5.0, 20.0, 500.0, 2e4, 5e6, 1e9}) {
    double t = 7.77e9;
    t = std::floor(t / step) * step;
    EXPECT_NE(formatTimestamp(t, step), formatTimestamp(t + step, step)) << step;
  }
}

// ---------------------------------------------------------------- colours

TEST(Colors, PackingMatchesImGui) {
  // IM_COL32(R,G,B,A) = A<<24 | B<<16 | G<<8 | R
  EXPECT_EQ(rgba(1, 2, 3, 4), 0x04030201u);
  EXPECT_EQ(red(rgba(10, 20, 30)), 10);
  EXPECT_EQ(green(rgba(10, 20, 30)), 20);
  EXPECT_EQ(blue(rgba(10, 20, 30)), 30);
  EXPECT_EQ(alpha(rgba(10, 20, 30)), 255);
}

TEST(Colors, GoroutineColoursAreStableAndDistinct) {
  EXPECT_EQ(gColor(12), gColor(12));
  for (int64_t g = 0; g < 64; g++) {
    Rgba a = gColor(g), b = gColor(g + 1);
    int d = std::abs(red(a) - red(b)) + std::abs(green(a) - green(b)) + std::abs(blue(a) - blue(b));
    EXPECT_GT(d, 40) << "G" << g << " and G" << g + 1 << " look alike";
  }
}

TEST(Colors, LabelsOnEveryGoroutineColourAreReadable) {
  for (int64_t g = 0; g < 500; g++)
    EXPECT_GE(contrastRatio(gColor(g), textOn(gColor(g))), 4.5) << "G" << g;
}

TEST(Colors, StatesStandOutFromTheCanvasInBothThemes) {
  for (const Palette* p : {&darkPalette(), &lightPalette()}) {
    EXPECT_GE(contrastRatio(p->text, p->canvas), 7.0);
    EXPECT_GE(contrastRatio(p->rulerText, p->rulerBg), 7.0);
    for (Rgba s : p->gState) EXPECT_GE(contrastRatio(s, p->canvas), 1.8);
    for (int i = 0; i < int(MState::Count); i++) {
      if (i == int(MState::Idle)) continue;
      EXPECT_GE(contrastRatio(p->mState[i], p->canvas), 1.5) << i;
    }
  }
  const Palette& d = darkPalette();
  EXPECT_NE(d.gState[int(GState::Running)], d.gState[int(GState::Runnable)]);
  EXPECT_NE(d.gState[int(GState::Blocked)], d.gState[int(GState::Syscall)]);
}

TEST(Colors, MixAndScale) {
  EXPECT_EQ(mix(rgba(0, 0, 0), rgba(200, 100, 50), 0.5f), rgba(100, 50, 25));
  EXPECT_EQ(scale(rgba(100, 200, 250), 2.0f), rgba(200, 255, 255));
  EXPECT_EQ(withAlpha(rgba(1, 2, 3), 7), rgba(1, 2, 3, 7));
}

// ---------------------------------------------------------------- counter LOD

struct Series {
  std::vector<double> t;
  std::vector<int32_t> v;
  BlockMax bmax;
  void finish() { bmax.build(v.size(), [&](size_t k) { return v[k]; }); }
};

std::vector<StepColumn> chart(const Series& s, double tEnd, const TimeView& view) {
  std::vector<StepColumn> out;
  stepChart(
      s.t.size(), [&](size_t k) { return s.t[k]; }, [&](size_t k) { return s.v[k]; }, s.bmax,
      tEnd, view.startNs, view.endNs(), view.nsPerPx, out);
  return out;
}

TEST(BlockMax, AnswersRangeMaximaAcrossBlocks) {
  std::vector<int32_t> v(1000);
  for (size_t i = 0; i < v.size(); i++) v[i] = int32_t((i * 7919) % 1009);
  BlockMax b;
  b.build(v.size(), [&](size_t k) { return v[k]; });
  for (size_t i : {0u, 3u, 63u, 64u, 65u, 500u, 998u})
    for (size_t j : {i + 1, i + 2, i + 64, i + 200, size_t(1000)}) {
      if (j > 1000 || j <= i) continue;
      int32_t want = *std::max_element(v.begin() + long(i), v.begin() + long(j));
      EXPECT_EQ(b.query(i, j, [&](size_t k) { return v[k]; }), want) << i << ".." << j;
    }
}

TEST(StepChart, WidePiecesAreDrawnAsTheyAre) {
  Series s{{0, 100, 300}, {1, 3, 0}, {}};
  s.finish();
  TimeView view{0, 1, 400};  // 1 ns per pixel: every piece is wide
  auto cols = chart(s, 400, view);
  ASSERT_EQ(cols.size(), 3u);
  EXPECT_EQ(cols[0].v, 1);
  EXPECT_DOUBLE_EQ(cols[1].t0, 100);
  EXPECT_DOUBLE_EQ(cols[1].t1, 300);
  EXPECT_EQ(cols[1].v, 3);
  EXPECT_DOUBLE_EQ(cols[2].t1, 400);
}

TEST(StepChart, DenseSamplesBecomeOneColumnPerPixelShowingTheMaximum) {
  Series s;
  for (int i = 0; i < 100000; i++) {
    s.t.push_back(i * 10.0);
    s.v.push_back(i % 97 == 50 ? 40 : i % 5);
  }
  s.finish();
  TimeView view{0, 1000, 1000};  // 100 samples per pixel
  auto cols = chart(s, 1e6, view);
  EXPECT_LE(cols.size(), 1100u);
  EXPECT_GE(cols.size(), 900u);
  int peaks = 0;
  for (const StepColumn& c : cols) peaks += c.v == 40;
  EXPECT_GE(peaks, 900);  // every pixel holds a spike of 40: none is lost
  for (size_t i = 1; i < cols.size(); i++) EXPECT_GE(cols[i].t0, cols[i - 1].t0);
}

TEST(StepChart, StartsWithTheSampleInForceAtTheLeftEdge) {
  Series s{{0, 1000, 2000}, {5, 7, 2}, {}};
  s.finish();
  TimeView view{1500, 1, 100};
  auto cols = chart(s, 3000, view);
  ASSERT_FALSE(cols.empty());
  EXPECT_EQ(cols[0].v, 7);
  EXPECT_EQ(cols.size(), 1u);
}

TEST(StepChart, EmptyAndAfterTheEnd) {
  Series empty;
  empty.finish();
  EXPECT_TRUE(chart(empty, 10, TimeView{0, 1, 100}).empty());
  Series s{{0}, {3}, {}};
  s.finish();
  EXPECT_TRUE(chart(s, 50, TimeView{100, 1, 100}).empty());
}

// ---------------------------------------------------------------- layout

LayoutInput sampleInput() {
  LayoutInput in;
  in.procs = {0, 1};
  in.machines = {0, 1, 2};
  in.sysmon = true;
  for (int g = 1; g <= 5000; g++) in.goroutines.push_back(g);
  return in;
}

TEST(Layout, StacksGroupsInOrderWithoutOverlap) {
  Layout l = Layout::build(sampleInput());
  const auto& rows = l.rows();
  ASSERT_EQ(rows.front().kind, LaneKind::GroupHeader);
  EXPECT_EQ(rows.front().id, int(Group::Procs));
  for (size_t i = 1; i < rows.size(); i++) EXPECT_GE(rows[i].y, rows[i - 1].y + rows[i - 1].h);
  EXPECT_GE(l.height(), rows.back().y + rows.back().h);
  ASSERT_NE(l.find(LaneKind::Proc, 1), nullptr);
  ASSERT_NE(l.find(LaneKind::Runq, 1), nullptr);
  ASSERT_NE(l.find(LaneKind::GlobalRunq, 0), nullptr);
  EXPECT_LT(l.find(LaneKind::Proc, 1)->y, l.find(LaneKind::GlobalRunq, 0)->y);
  EXPECT_LT(l.find(LaneKind::GlobalRunq, 0)->y, l.find(LaneKind::Runq, 0)->y);
  EXPECT_LT(l.find(LaneKind::Sysmon, 0)->y, l.find(LaneKind::Goroutine, 1)->y);
  EXPECT_EQ(l.find(LaneKind::Goroutine, 5001), nullptr);
  EXPECT_EQ(l.find(LaneKind::Startup, 0), nullptr);
}

TEST(Layout, RowsInFindsOnlyWhatIsOnScreen) {
  Layout l = Layout::build(sampleInput());
  const Row* g2000 = l.find(LaneKind::Goroutine, 2000);
  ASSERT_NE(g2000, nullptr);
  auto [a, b] = l.rowsIn(g2000->y, g2000->y + 400);
  EXPECT_LE(b - a, 400 / 18 + 2);
  EXPECT_EQ(l.rows()[a].id, 2000);
  EXPECT_EQ(l.rowAt(g2000->y + 1), g2000);
  EXPECT_EQ(l.rowAt(-5), nullptr);
}

TEST(Layout, CollapsedGroupsKeepOnlyTheirHeader) {
  LayoutInput in = sampleInput();
  in.collapsed[int(Group::Goroutines)] = true;
  Layout l = Layout::build(in);
  EXPECT_EQ(l.find(LaneKind::Goroutine, 1), nullptr);
  ASSERT_NE(l.find(LaneKind::GroupHeader, int(Group::Goroutines)), nullptr);
  EXPECT_EQ(l.rows().back().kind, LaneKind::GroupHeader);
}

TEST(Layout, GoroutineFilterSyntax) {
  std::vector<int32_t> ids;
  ASSERT_TRUE(parseGoroutineFilter("12", ids));
  EXPECT_EQ(ids, std::vector<int32_t>({12}));
  ASSERT_TRUE(parseGoroutineFilter(" G3, g10-12 ,1", ids));
  EXPECT_EQ(ids, std::vector<int32_t>({1, 3, 10, 11, 12}));
  EXPECT_FALSE(parseGoroutineFilter("chan", ids));
  EXPECT_FALSE(parseGoroutineFilter("5-2", ids));
  EXPECT_FALSE(parseGoroutineFilter("", ids));
  EXPECT_TRUE(ids.empty());
}

// ---------------------------------------------------------------- settings

TEST(Settings, RoundTripsThroughText) {
  Settings s;
  s.winX = 10, s.winY = 20, s.winW = 1280, s.winH = 720, s.maximized = true;
  s.sideWidth = 333, s.bottomHeight = 222, s.showStats = false, s.lightTheme = true;
  s.fontSize = 19;
  s.collapsedGroups = {"Goroutines (G)"};
  addRecent(s, "/tmp/a.jsonl");
  addRecent(s, "/tmp/b.jsonl");
  addRecent(s, "/tmp/a.jsonl");
  s.browserDir = "/tmp";
  Settings r = parseSettings(formatSettings(s));
  EXPECT_EQ(r.winX, 10);
  EXPECT_EQ(r.winH, 720);
  EXPECT_TRUE(r.maximized);
  EXPECT_FLOAT_EQ(r.sideWidth, 333);
  EXPECT_FALSE(r.showStats);
  EXPECT_TRUE(r.lightTheme);
  EXPECT_FLOAT_EQ(r.fontSize, 19);
  EXPECT_TRUE(isCollapsed(r, "Goroutines (G)"));
  EXPECT_EQ(r.recent, std::vector<std::string>({"/tmp/a.jsonl", "/tmp/b.jsonl"}));
  EXPECT_EQ(r.browserDir, "/tmp");
}

TEST(Settings, BadLinesAreIgnored) {
  Settings r = parseSettings("garbage\nwindow.w = -5\nwindow.h = abc\nui.font_size = 400\n"
                             "layout.side=500\n# comment\n");
  Settings d;
  EXPECT_EQ(r.winW, d.winW);
  EXPECT_EQ(r.winH, d.winH);
  EXPECT_FLOAT_EQ(r.fontSize, d.fontSize);
  EXPECT_FLOAT_EQ(r.sideWidth, 500);
}

TEST(Settings, RecentListIsBounded) {
  Settings s;
  for (int i = 0; i < 30; i++) addRecent(s, "/f" + std::to_string(i));
  EXPECT_EQ(s.recent.size(), Settings::kMaxRecent);
  EXPECT_EQ(s.recent.front(), "/f29");
}

TEST(Settings, SavesAtomicallyUnderXdgConfigHome) {
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() / ("gmps_settings_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  ::setenv("XDG_CONFIG_HOME", dir.c_str(), 1);
  std::string path = settingsPath();
  EXPECT_EQ(path, (dir / "gmpscope" / "viewer.ini").string());
  Settings s;
  s.winW = 999;
  EXPECT_EQ(saveSettings(path, s), "");
  EXPECT_FALSE(fs::exists(path + ".tmp"));
  EXPECT_EQ(loadSettings(path).winW, 999);
  EXPECT_EQ(loadSettings((dir / "missing.ini").string()).winW, Settings().winW);
  EXPECT_NE(saveSettings("/proc/forbidden/viewer.ini", s), "");
  fs::remove_all(dir);
}

// ---------------------------------------------------------------- view commands

TEST(Commands, ParseTimesWithUnits) {
  double ns = 0;
  ASSERT_TRUE(parseTime("1500", ns));
  EXPECT_DOUBLE_EQ(ns, 1500);
  ASSERT_TRUE(parseTime("2.5us", ns));
  EXPECT_DOUBLE_EQ(ns, 2500);
  ASSERT_TRUE(parseTime("2.5µs", ns));
  EXPECT_DOUBLE_EQ(ns, 2500);
  ASSERT_TRUE(parseTime(" 3ms ", ns));
  EXPECT_DOUBLE_EQ(ns, 3e6);
  ASSERT_TRUE(parseTime("0.5s", ns));
  EXPECT_DOUBLE_EQ(ns, 5e8);
  EXPECT_FALSE(parseTime("3 minutes", ns));
  EXPECT_FALSE(parseTime("-4", ns));
  EXPECT_FALSE(parseTime("", ns));
}

TEST(Commands, ParseAStepOfATutorial) {
  std::vector<ViewCommand> cmds;
  std::string err;
  ASSERT_TRUE(parseViewCommands("zoom=100us:250us; event=42 ;g=7;tab=latency;kind=RunqSteal;"
                                "filter=3,10-12;collapse=threads;expand=goroutines;line=9;"
                                "measure=1ms:2ms",
                                cmds, err))
      << err;
  ASSERT_EQ(cmds.size(), 10u);
  EXPECT_EQ(cmds[0].kind, ViewCommand::Kind::Zoom);
  EXPECT_DOUBLE_EQ(cmds[0].t0, 100e3);
  EXPECT_DOUBLE_EQ(cmds[0].t1, 250e3);
  EXPECT_EQ(cmds[1].kind, ViewCommand::Kind::Event);
  EXPECT_EQ(cmds[1].n, 42);
  EXPECT_EQ(cmds[2].kind, ViewCommand::Kind::Goroutine);
  EXPECT_EQ(cmds[2].n, 7);
  EXPECT_EQ(cmds[3].kind, ViewCommand::Kind::Tab);
  EXPECT_STREQ(kStatsTabs[cmds[3].n], "latency");
  EXPECT_EQ(cmds[4].n, int64_t(gmps::trace::Ev::RunqSteal));
  EXPECT_EQ(cmds[5].text, "3,10-12");
  EXPECT_EQ(cmds[6].kind, ViewCommand::Kind::Collapse);
  EXPECT_EQ(cmds[6].n, int64_t(Group::Machines));
  EXPECT_EQ(cmds[7].kind, ViewCommand::Kind::Expand);
  EXPECT_EQ(cmds[8].kind, ViewCommand::Kind::Line);
  EXPECT_EQ(cmds[9].kind, ViewCommand::Kind::Measure);
  EXPECT_TRUE(parseViewCommands("", cmds, err));
}

TEST(Commands, BadCommandsSayWhatWasExpected) {
  std::vector<ViewCommand> cmds;
  std::string err;
  EXPECT_FALSE(parseViewCommands("zoom=5ms:1ms", cmds, err));
  EXPECT_NE(err.find("zoom=5ms:1ms: expected T0:T1"), std::string::npos) << err;
  EXPECT_FALSE(parseViewCommands("kind=GoFly", cmds, err));
  EXPECT_NE(err.find("event name"), std::string::npos) << err;
  EXPECT_FALSE(parseViewCommands("g=-1", cmds, err));
  EXPECT_FALSE(parseViewCommands("tab=nope", cmds, err));
  EXPECT_FALSE(parseViewCommands("collapse=everything", cmds, err));
  EXPECT_FALSE(parseViewCommands("jump=3", cmds, err));
  EXPECT_NE(err.find("unknown command"), std::string::npos) << err;
  EXPECT_FALSE(parseViewCommands("panel=queues", cmds, err));
  EXPECT_NE(err.find("processors, latency or events"), std::string::npos) << err;
}

TEST(Commands, PanelNamesTheStepsPanelsAndEveryStatisticsTab) {
  std::vector<ViewCommand> cmds;
  std::string err;
  ASSERT_TRUE(parseViewCommands("panel=timeline; panel=scheduler; panel=startup; panel=stats; "
                                "panel=goroutines; panel=processors; panel=latency; panel=events",
                                cmds, err))
      << err;
  ASSERT_EQ(cmds.size(), 8u);
  for (size_t i = 0; i < cmds.size(); i++) {
    EXPECT_EQ(cmds[i].kind, ViewCommand::Kind::Panel);
    EXPECT_EQ(cmds[i].n, int64_t(i)) << kPanels[i];  // kPanels is in gmps::guide::Panel's order
  }
}

TEST(Commands, EachPanelOpensItsTab) {
  auto tabOf = [](std::string_view panel) -> std::string {
    for (size_t i = 0; i < std::size(kPanels); i++)
      if (panel == kPanels[i]) {
        int t = tabOfPanel(int64_t(i));
        return t < 0 ? "none" : kStatsTabs[t];
      }
    return "no such panel";
  };
  EXPECT_EQ(tabOf("timeline"), "none");
  EXPECT_EQ(tabOf("scheduler"), "scheduler");
  EXPECT_EQ(tabOf("startup"), "startup");
  EXPECT_EQ(tabOf("stats"), "goroutines");
  EXPECT_EQ(tabOf("goroutines"), "goroutines");
  EXPECT_EQ(tabOf("processors"), "processors");
  EXPECT_EQ(tabOf("latency"), "latency");
  EXPECT_EQ(tabOf("events"), "events");
  EXPECT_EQ(tabOfPanel(-1), -1);
  EXPECT_EQ(tabOfPanel(int64_t(std::size(kPanels))), -1);
  EXPECT_EQ(kTabScheduler, tabOfPanel(1));
  EXPECT_EQ(kTabStartup, tabOfPanel(2));
}

}  // namespace
}  // namespace gmps::viewer
