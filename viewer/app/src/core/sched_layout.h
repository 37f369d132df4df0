// sched_layout.h — where the scheduler panel puts each thing, computed from the
// model's reconstructed state (model::SchedState), not from guesses. Pure geometry,
// unit-tested, and dumped in the layout JSON so screenshot tests can find each token.
//
// The panel reads like Go's structures, one row per P:
//
//   P    M      running   runnext   local run queue (p.runq, head → tail)
//   P0   M0     [G7]      [G9]      [G10][G11][G12] … +240
//   P1   idle   ·         ·
//   global run queue (sched.runq)   [G3][G4]
//   Threads (M): [M0 running G7 · P0] [M1 sysmon · asleep 20 µs] [M2 spinning · P1]
//
// A token is one G; its colour is the G's colour in the timeline's P and M lanes.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "gmpscope/model/state.h"
#include "gmpscope/model/trace_model.h"

namespace gmps::viewer {

using model::EventIndex;

// Box is a rectangle in panel coordinates (pixels from the panel's top-left corner).
struct Box {
  float x0 = 0, y0 = 0, x1 = 0, y1 = 0;
  float w() const { return x1 - x0; }
  float h() const { return y1 - y0; }
  float cx() const { return (x0 + x1) / 2; }
  float cy() const { return (y0 + y1) / 2; }
  bool contains(float x, float y) const { return x >= x0 && x < x1 && y >= y0 && y < y1; }
  bool operator==(const Box& o) const { return x0 == o.x0 && y0 == o.y0 && x1 == o.x1 && y1 == o.y1; }
};

// Slot: where a G token sits. Taken: picked by the P's thread (RunqGet, or the last G
// of a steal) and about to run; drawn in the running slot, dimmed.
enum class Slot : uint8_t { Running, Runnext, Local, Global, Taken };
const char* slotName(Slot s);  // "running", "runnext", "local", "global", "taken"

struct TokenBox {
  int32_t g;
  Slot slot;
  int32_t p;      // the P whose slot it is; -1 for the global queue
  int32_t index;  // position in its queue from the head (0 for running/runnext)
  Box box;
};

// QueueRow: a queue drawn as a row of tokens; when they do not all fit, the first
// `shown` are drawn and a "+hidden" chip ends the row.
struct QueueRow {
  Box queue;          // the area the tokens occupy
  int32_t shown = 0;  // tokens drawn
  int32_t hidden = 0; // tokens not drawn (counted on the `more` chip)
  Box more;           // the "+hidden" chip (empty when hidden == 0)
};

struct ProcRow {
  int32_t p = -1;
  bool idle = false;  // no M holds it (Go: on sched.pidle)
  Box row, label, m, running, runnext;
  QueueRow runq;
};

struct MChip {
  int32_t m = -1;
  size_t state = 0;  // index into SchedState::machines
  Box box;
};

struct SchedMetrics {
  float width = 800;                  // the rows' width
  float tokenW = 44, tokenH = 22, gap = 4;
  float rowH = 30, rowGap = 3;
  float headerH = 20;                 // the column captions
  float labelW = 40, mW = 64;         // the P and M columns
  float slotPad = 6;                  // air around the running and runnext slots
  float chipH = 24, chipGap = 6;      // M chips
  float sectionGap = 10;
  float moreW = 56;                   // the "+N" chip
};

struct SchedLayout {
  std::vector<ProcRow> procs;  // by P id
  Box header;                  // the column captions of the P rows
  float colRunning = 0, colRunnext = 0, colQueue = 0;  // x of each column
  Box globalRow, globalLabel;
  QueueRow global;
  Box mHeader;
  std::vector<MChip> ms;
  std::vector<TokenBox> tokens;  // every token drawn, sorted by g
  float height = 0;

  const TokenBox* tokenOf(int32_t g) const;
  const ProcRow* proc(int32_t p) const;
};

// layoutScheduler places everything of s. mChipW[i] is the width of the chip of
// s.machines[i] (its text is the caller's: the layout measures no text). taken[p],
// when given, is the G P p's thread has just picked (see why.h takenBy), or -1.
SchedLayout layoutScheduler(const model::SchedState& s, const SchedMetrics& k,
                            std::span<const float> mChipW, std::span<const int32_t> taken = {});

// MoveArrow: the arrow the panel draws for a move of several Gs at once.
struct MoveArrow {
  enum class Kind : uint8_t { None, Steal, ToGlobal, FromGlobal };
  Kind kind = Kind::None;
  float x0 = 0, y0 = 0, x1 = 0, y1 = 0;  // from (source queue) to (destination queue)
  int32_t count = 0;                     // Gs moved
};

// arrowFor returns the arrow for event e when it moves Gs between queues: RunqSteal
// (victim's queue → thief's), RunqPutSlow (a P's queue → the global queue), RunqGet
// with a batch from the global queue (global → the P). Kind::None otherwise.
MoveArrow arrowFor(const model::TraceModel& m, EventIndex e, const SchedLayout& l);

}  // namespace gmps::viewer
