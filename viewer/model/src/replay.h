// replay.h — the scheduler state machine that replays a trace one event at a time
// (model-internal). It is the single source of truth for G/M/P states and run-queue
// contents: `gmpscope check` runs it and stops at the first broken rule; the model
// builder runs it over the whole trace, turns the transitions it reports into spans,
// and keeps periodic snapshots of it for seeking.
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <vector>

#include "gmpscope/model/types.h"
#include "rules.h"

namespace gmps::model::detail {

// GIds maps goroutine ids to dense indices 0..n-1 in ascending id order, so per-G
// tables are plain vectors. Built in one pass over the trace.
class GIds {
 public:
  explicit GIds(const trace::Trace& t);
  // dense returns the index of goroutine id, -1 for -1 or an id never seen.
  int32_t dense(int64_t id) const {
    if (id < 0) return -1;
    if (!direct_.empty()) return id < int64_t(direct_.size()) ? direct_[size_t(id)] : -1;
    return sparseLookup(id);
  }
  int32_t id(int32_t dense) const { return ids_[size_t(dense)]; }
  size_t size() const { return ids_.size(); }
  size_t bytes() const { return (ids_.capacity() + direct_.capacity()) * sizeof(int32_t); }

 private:
  int32_t sparseLookup(int64_t id) const;
  std::vector<int32_t> ids_;     // dense -> id, ascending
  std::vector<int32_t> direct_;  // id -> dense when ids are small (the usual case)
};

// Where a runnable G sits.
enum class Where : uint8_t { None, Runnext, Local, Global };

struct GRec {
  EventIndex since = kNoEvent;   // when it entered its status
  EventIndex qsince = kNoEvent;  // when it entered its queue
  int32_t m = -1;                // Running/Syscall: its M
  int32_t p = -1;                // Running: its P; Runnext/Local: the queue's P
  GStatus st = GStatus::None;
  uint8_t reason = 0;  // BlockReason while Waiting
  Where q = Where::None;
  uint8_t pad = 0;
};

struct PRec {
  int32_t m = -1;        // holder, -1 = idle
  int32_t curg = -1;     // dense G running on it
  int32_t runnext = -1;  // dense G
  int32_t stolen = -1;   // dense G a steal just took to run (until its RunqGet)
  EventIndex since = kNoEvent;  // last change of holder
  std::deque<int32_t> runq;     // dense Gs, head first
};

struct MRec {
  EventIndex since = kNoEvent;
  int32_t p = -1;
  int32_t curg = -1;  // dense G
  MStatus st = MStatus::None;
  bool sysmon = false;
};

// Transitions is what one event changed, for clients that draw it.
struct Transitions {
  struct GMove {
    int32_t g;  // dense
    GStatus from, to;
  };
  struct MMove {
    int32_t m;
    MStatus from, to;
  };
  struct PMove {
    int32_t p;
    PDo what;
  };
  GMove g[1];
  MMove m[3];
  PMove p[2];
  int32_t queueP[2];  // Ps whose run queue or runnext changed
  int ng = 0, nm = 0, np = 0, nq = 0;
  bool global = false;  // the global queue changed
  void clear() { ng = nm = np = nq = 0, global = false; }
};

class Replayer {
 public:
  Replayer(const trace::Trace& t, const GIds& ids);
  // reset returns to the state before the first event, as freshly made.
  void reset();

  // apply replays event i; events must come in order. Returns false when the event
  // breaks a rule (violation() says how, without the FILE:LINE prefix); the event is
  // still applied as well as it can be, so a model can be built past it.
  bool apply(EventIndex i);
  const std::string& violation() const { return err_; }
  const Transitions& changes() const { return tr_; }

  // State, readable between events. Ps and Ms are indexed by id, Gs by dense index.
  std::vector<GRec> gs;
  std::vector<PRec> ps;
  std::vector<MRec> ms;
  std::deque<int32_t> global;
  std::vector<int32_t> live;      // dense Gs neither unborn nor dead, in no order
  std::vector<int32_t> livePos;   // dense G -> its index in live, -1 if not live
  int32_t dead = 0;               // Gs that ended

  // Limits on ids that index vectors (a hand-edited trace could name P 2^31-1).
  // Generous next to Go's own: GOMAXPROCS <= 1024 in this runtime, maxmcount 10000.
  static constexpr int32_t kMaxP = 1 << 12;
  static constexpr int32_t kMaxM = 1 << 16;

  // setStatus moves G g to st (keeping live in step); used by snapshot restore too.
  void setStatus(int32_t g, GStatus st);
  MRec* machine(int32_t m);
  PRec* proc(int32_t p);

 private:
  using Rules = RulesFor;

  // checks (no effects) and effects of the table rows.
  void checkG(const GRule& r, const Event& e);
  void checkM(const MRule& r, const Event& e);
  void checkP(const PRule& r, const Event& e);
  void doG(const GRule& r, const Event& e);
  void doM(const MRule& r, const Event& e);
  void doP(const PRule& r, const Event& e);
  void wakeImplicitly(const Event& e);
  void endWithProcess(PRec& P);
  int32_t ruleG(const GRule& r, const Event& e) const;  // dense G or -1
  int32_t ruleP(const PRule& r, const Event& e) const;  // P id or -1

  // queues.cpp
  void queueOps(const Event& e);
  void runqPut(const Event& e);
  void runqPutSlow(const Event& e);
  void runqGet(const Event& e);
  void globalGet(const Event& e, PRec& pp, int32_t g);
  void runqSteal(const Event& e);
  bool removeLocal(PRec& pp, int32_t g);
  bool removeGlobal(int32_t g);
  void enqueue(int32_t g, Where q, int32_t p);
  void touchQueue(int32_t p);
  void procsChange(const Event& e);

  // describe.cpp: phrases for messages.
  bool violate(std::string msg);
  std::string line(EventIndex i) const;
  std::string gName(int32_t g) const;
  std::string describeG(int32_t g) const;
  std::string describeWhere(int32_t g) const;
  std::string describeM(int32_t m) const;
  std::string describeP(int32_t p) const;
  std::string what(const Event& e) const;  // "GoStart of G7" / "ProcStart of P1 on M2"

  const trace::Trace& t_;
  const GIds& ids_;
  EventIndex cur_ = 0;
  Transitions tr_;
  std::string err_;
};

}  // namespace gmps::model::detail
