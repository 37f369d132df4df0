// gtable_test.cpp — the statistics panel's per-G table order, over the hand-made
// two-P trace: G1 runtime.main, G2 and G3 main.worker (G3 ran 350 ns, G2 180 ns).
#include <gtest/gtest.h>

#include <vector>

#include "core/gtable.h"
#include "small_trace.h"

namespace gmps::viewer {
namespace {

using GTable = testing::SmallTrace;

std::vector<int32_t> idsInOrder(const model::TraceModel& m, const std::vector<GSortKey>& keys) {
  std::vector<int32_t> ids;
  for (int32_t row : orderGoroutines(m, keys)) ids.push_back(m.stats().perG[size_t(row)].id);
  return ids;
}

TEST_F(GTable, SortsByOneColumnEitherWay) {
  EXPECT_EQ(idsInOrder(*m_, {{GColumn::Id, true}}), (std::vector<int32_t>{1, 2, 3}));
  EXPECT_EQ(idsInOrder(*m_, {{GColumn::Id, false}}), (std::vector<int32_t>{3, 2, 1}));
  EXPECT_EQ(idsInOrder(*m_, {{GColumn::Running, false}}).front(), 3);
}

TEST_F(GTable, LabelsSortAsTextAndTiesFallToTheNextKey) {
  // Both workers share a label: the second key (running time, longest first) decides.
  EXPECT_EQ(idsInOrder(*m_, {{GColumn::Label, true}, {GColumn::Running, false}}),
            (std::vector<int32_t>{3, 2, 1}));
  EXPECT_EQ(idsInOrder(*m_, {{GColumn::Label, false}, {GColumn::Running, true}}),
            (std::vector<int32_t>{1, 2, 3}));
}

TEST_F(GTable, RowsEqualOnEveryKeyKeepTheirOrder) {
  EXPECT_EQ(idsInOrder(*m_, {{GColumn::Label, true}}), (std::vector<int32_t>{2, 3, 1}));
  EXPECT_EQ(idsInOrder(*m_, {{GColumn::Preempted, false}}), (std::vector<int32_t>{1, 2, 3}));
  EXPECT_EQ(idsInOrder(*m_, {}), (std::vector<int32_t>{1, 2, 3}));
}

}  // namespace
}  // namespace gmps::viewer
