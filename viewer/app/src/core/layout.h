// layout.h — where each lane sits vertically in the timeline.
//
// The timeline is a stack of collapsible groups (Startup, Processors, Run queues,
// Machines, Sysmon, Goroutines), each a header row then its lanes. The layout is
// rebuilt when the trace, the filter or a fold changes (not every frame); painting
// asks rowsIn(y0, y1) for the rows on screen, a binary search, so thousands of
// goroutine lanes cost nothing while scrolled away (virtualised).
#pragma once

#include <cstdint>
#include <string_view>
#include <utility>
#include <vector>

namespace gmps::viewer {

enum class Group : uint8_t { Startup, Procs, Runqs, Machines, Sysmon, Goroutines, Count };
// groupName is the header text and the key under which a fold is remembered.
const char* groupName(Group g);

enum class LaneKind : uint8_t {
  GroupHeader,  // id = Group
  Startup,      // id = 0
  Proc,         // id = P id
  Runq,         // id = P id: its runnext and local queue
  GlobalRunq,   // id = 0
  Machine,      // id = M id
  Sysmon,       // id = 0
  Goroutine,    // id = G id
};

struct Row {
  LaneKind kind;
  int32_t id;
  float y;  // top, from the top of the lanes area
  float h;
};

// LayoutInput: what to stack. Lists hold the ids to show, in order.
struct LayoutInput {
  bool startup = false;
  std::vector<int32_t> procs, machines, goroutines;
  bool sysmon = false;
  bool collapsed[int(Group::Count)] = {};
  // metrics (pixels)
  float headerH = 24, procH = 26, runqH = 22, machineH = 20, sysmonH = 22, gH = 18,
        startupH = 22, gap = 2;
};

class Layout {
 public:
  static Layout build(const LayoutInput& in);

  const std::vector<Row>& rows() const { return rows_; }
  float height() const { return height_; }
  // rowsIn returns [first, last) of the rows that overlap [y0, y1).
  std::pair<size_t, size_t> rowsIn(float y0, float y1) const;
  // find returns the row of a lane, or nullptr when it is hidden (folded, filtered).
  const Row* find(LaneKind kind, int32_t id) const;
  // rowAt returns the row under y, or nullptr.
  const Row* rowAt(float y) const;

 private:
  std::vector<Row> rows_;
  float height_ = 0;
  // id -> row index per lane kind (dense ids; -1 = not shown)
  std::vector<int32_t> byProc_, byRunq_, byMachine_, byG_;
  int32_t startup_ = -1, global_ = -1, sysmon_ = -1;
  int32_t headers_[int(Group::Count)] = {-1, -1, -1, -1, -1, -1};
};

// parseGoroutineFilter reads "12", "G12", "3-7", "g3, 10-12" into a sorted id list;
// returns false (and leaves out empty) when the text is not such a list.
bool parseGoroutineFilter(std::string_view text, std::vector<int32_t>& out);

}  // namespace gmps::viewer
