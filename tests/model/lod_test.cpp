// The visible-range and folding computation on hand-made view geometries: no trace
// file, just events with chosen times and spans over them.
#include <gtest/gtest.h>

#include "gmpscope/model/lod.h"

using namespace gmps::model;

namespace {

// Fixture: event i happens at times[i]; spans are built from (begin, end) pairs.
struct Lane {
  std::vector<Event> events;
  std::vector<Span> spans;
  Ns end = 0;
  explicit Lane(std::vector<Ns> times) {
    for (Ns t : times) {
      Event e{};
      e.ts = t;
      events.push_back(e);
    }
    end = times.empty() ? 0 : times.back();
  }
  Lane& span(EventIndex b, EventIndex e) {
    spans.push_back(Span{b, e, -1, SpanKind::GRunning, 0});
    return *this;
  }
  SpanClock clock() const { return SpanClock{events, end}; }
};

ViewGeometry view(Ns start, double nsPerPx, float width) { return ViewGeometry{start, nsPerPx, width}; }

std::string items(const std::vector<VisibleItem>& v) {
  std::string s;
  for (auto& it : v) {
    if (!s.empty()) s += ' ';
    s += std::to_string(it.first) + "x" + std::to_string(it.count) + "[" + std::to_string(it.start) +
         "," + std::to_string(it.end) + "]";
  }
  return s;
}

TEST(Lod, GeometryMapsTimeToPixels) {
  ViewGeometry g = view(1000, 2.0, 500);
  EXPECT_EQ(g.endNs(), 2000);
  EXPECT_FLOAT_EQ(g.x(1000), 0.f);
  EXPECT_FLOAT_EQ(g.x(1100), 50.f);
  EXPECT_FLOAT_EQ(g.x(900), -50.f);
}

TEST(Lod, VisibleRangeIsTwoBinarySearches) {
  // Spans [0,10] [20,30] [40,50] [60,70] [80,90].
  Lane l({0, 10, 20, 30, 40, 50, 60, 70, 80, 90});
  for (int i = 0; i < 10; i += 2) l.span(i, i + 1);
  auto c = l.clock();
  EXPECT_EQ(visibleRange(l.spans, c, view(0, 1, 100)), (std::pair<size_t, size_t>{0, 5}));
  EXPECT_EQ(visibleRange(l.spans, c, view(25, 1, 20)), (std::pair<size_t, size_t>{1, 3}));  // [25,45]
  EXPECT_EQ(visibleRange(l.spans, c, view(31, 1, 8)), (std::pair<size_t, size_t>{2, 2}));   // a gap
  EXPECT_EQ(visibleRange(l.spans, c, view(30, 1, 10)), (std::pair<size_t, size_t>{1, 3}));  // touches both
  EXPECT_EQ(visibleRange(l.spans, c, view(95, 1, 100)), (std::pair<size_t, size_t>{5, 5}));
  EXPECT_EQ(visibleRange(l.spans, c, view(-100, 1, 50)), (std::pair<size_t, size_t>{0, 0}));
  EXPECT_EQ(visibleRange({}, c, view(0, 1, 100)), (std::pair<size_t, size_t>{0, 0}));
}

TEST(Lod, WideSpansAreNotFolded) {
  Lane l({0, 10, 20, 30, 40, 50});
  l.span(0, 1).span(2, 3).span(4, 5);
  std::vector<VisibleItem> out;
  visibleSpans(l.spans, l.clock(), view(0, 1.0, 100), out);  // each span 10 px wide
  EXPECT_EQ(items(out), "0x1[0,10] 1x1[20,30] 2x1[40,50]");
  EXPECT_FALSE(out[0].folded());
  EXPECT_FLOAT_EQ(out[1].x0, 20.f);
  EXPECT_FLOAT_EQ(out[1].x1, 30.f);
}

TEST(Lod, NarrowNeighboursFoldIntoOneItemWithTheirCount) {
  // Ten 10 ns spans back to back at 10 ns/px: each is 1 px, under the 3 px minimum.
  std::vector<Ns> t;
  for (int i = 0; i <= 10; i++) t.push_back(i * 10);
  Lane l(t);
  for (int i = 0; i < 10; i++) l.span(i, i + 1);
  std::vector<VisibleItem> out;
  visibleSpans(l.spans, l.clock(), view(0, 10.0, 100), out);
  EXPECT_EQ(items(out), "0x10[0,100]");
  EXPECT_TRUE(out[0].folded());
  // Zoomed in to 1 ns/px the same spans are 10 px each: nothing folds.
  visibleSpans(l.spans, l.clock(), view(0, 1.0, 200), out);
  EXPECT_EQ(out.size(), 10u);
}

TEST(Lod, AWideSpanOrAWideGapEndsAFold) {
  // narrow [0,10] [10,20], wide [20,100], narrow [100,110] [110,120],
  // gap to [200,210] (9 px away), narrow [210,220].
  Lane l({0, 10, 20, 100, 110, 120, 200, 210, 220});
  l.span(0, 1).span(1, 2).span(2, 3).span(3, 4).span(4, 5).span(6, 7).span(7, 8);
  std::vector<VisibleItem> out;
  visibleSpans(l.spans, l.clock(), view(0, 10.0, 100), out);  // 3 px = 30 ns
  EXPECT_EQ(items(out), "0x2[0,20] 2x1[20,100] 3x2[100,120] 5x2[200,220]");
}

TEST(Lod, SmallGapsFoldAndALoneNarrowSpanStaysOne) {
  // [0,5] gap 15 [20,25] gap 15 [40,45] — gaps under 3 px (30 ns) fold;
  // [200,205] is alone: an item of count 1, drawn at minimum width by the UI.
  Lane l({0, 5, 20, 25, 40, 45, 200, 205});
  l.span(0, 1).span(2, 3).span(4, 5).span(6, 7);
  std::vector<VisibleItem> out;
  visibleSpans(l.spans, l.clock(), view(0, 10.0, 100), out);
  EXPECT_EQ(items(out), "0x3[0,45] 3x1[200,205]");
  EXPECT_FALSE(out[1].folded());
}

TEST(Lod, PartlyVisibleSpansAndOpenSpans) {
  Lane l({0, 100, 200, 300});
  l.span(0, 1).span(2, kNoEvent);  // the second is open: it ends at the trace's end (300)
  std::vector<VisibleItem> out;
  visibleSpans(l.spans, l.clock(), view(50, 1.0, 200), out);  // [50, 250]
  EXPECT_EQ(items(out), "0x1[0,100] 1x1[200,300]");
  EXPECT_FLOAT_EQ(out[0].x0, -50.f);  // not clamped: the painter clips
}

TEST(Lod, FoldsCoverEveryVisibleSpanExactlyOnce) {
  // 100k spans of random-ish widths; whatever the zoom, items tile the range.
  std::vector<Ns> t{0};
  for (int i = 1; i <= 200000; i++) t.push_back(t.back() + 1 + (i * 7919) % 97);
  Lane l(t);
  for (int i = 0; i < 200000; i += 2) l.span(i, i + 1);
  std::vector<VisibleItem> out;
  for (double nsPerPx : {0.5, 3.0, 50.0, 5000.0, 1e6}) {
    ViewGeometry g = view(t[1000], nsPerPx, 1500);
    auto [a, b] = visibleRange(l.spans, l.clock(), g);
    visibleSpans(l.spans, l.clock(), g, out);
    size_t next = a;
    for (auto& it : out) {
      EXPECT_EQ(size_t(it.first), next);
      next += size_t(it.count);
    }
    EXPECT_EQ(next, b) << nsPerPx;
    // Folding bounds the work: about one item per 3 px, plus wide spans.
    if (nsPerPx >= 50) {
      EXPECT_LE(out.size(), 1500u / 3 + 2) << nsPerPx;
    }
  }
}

TEST(Lod, MarksClusterWithinMinPx) {
  Lane l({0, 10, 20, 100, 500, 510, 2000});
  std::vector<EventIndex> marks{0, 1, 2, 3, 4, 5, 6};
  std::vector<VisibleMark> out;
  visibleMarks(marks, l.clock(), view(0, 10.0, 100), out);  // 3 px = 30 ns; view [0,1000]
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[0].first, 0);
  EXPECT_EQ(out[0].count, 3);  // 0, 10, 20
  EXPECT_EQ(out[1].first, 3);
  EXPECT_EQ(out[1].count, 1);  // 100
  EXPECT_EQ(out[2].first, 4);
  EXPECT_EQ(out[2].count, 2);  // 500, 510; 2000 is off screen
  EXPECT_FLOAT_EQ(out[2].x, 50.f);
}

TEST(Lod, CounterRangeStartsWithThePointInForce) {
  Lane l({0, 100, 200, 300, 400});
  std::vector<CounterPoint> pts{{0, 1}, {1, 2}, {2, 3}, {3, 4}, {4, 5}};
  auto c = l.clock();
  EXPECT_EQ(visibleCounterRange(pts, c, view(150, 1, 100)), (std::pair<size_t, size_t>{1, 3}));
  EXPECT_EQ(visibleCounterRange(pts, c, view(-50, 1, 20)), (std::pair<size_t, size_t>{0, 0}));
  EXPECT_EQ(visibleCounterRange(pts, c, view(1000, 1, 20)), (std::pair<size_t, size_t>{4, 5}));
}

}  // namespace
