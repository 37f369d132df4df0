// queues.cpp — run-queue operations of the Replayer (see events.h for each event).
//
// The global queue and each runnext are replayed exactly: they change under
// sched.lock or by one CAS, so their order in the trace is their real order. A local
// queue is different: its owner and any number of thieves take from its head at the
// same time and stamp their events independently, so two removals may appear in
// either order. Removal from a local queue therefore only demands that the G is in
// that queue, wherever it sits.
#include <algorithm>

#include "replay.h"

namespace gmps::model::detail {

using trace::RunqSrc;
using trace::RunqWhere;

void Replayer::touchQueue(int32_t p) {
  for (int k = 0; k < tr_.nq; k++)
    if (tr_.queueP[k] == p) return;
  if (tr_.nq < 2) tr_.queueP[tr_.nq++] = p;
}

void Replayer::enqueue(int32_t g, Where q, int32_t p) {
  GRec& G = gs[size_t(g)];
  G.q = q;
  G.p = q == Where::Global ? -1 : p;
  G.qsince = cur_;
  if (q == Where::Global) {
    global.push_back(g);
    tr_.global = true;
    return;
  }
  if (q == Where::Local) proc(p)->runq.push_back(g);
  if (q == Where::Runnext) proc(p)->runnext = g;
  touchQueue(p);
}

bool Replayer::removeLocal(PRec& pp, int32_t g) {
  auto it = std::find(pp.runq.begin(), pp.runq.end(), g);
  if (it == pp.runq.end()) return false;
  pp.runq.erase(it);
  touchQueue(int32_t(&pp - ps.data()));
  GRec& G = gs[size_t(g)];
  G.q = Where::None;
  G.p = -1;
  return true;
}

bool Replayer::removeGlobal(int32_t g) {
  auto it = std::find(global.begin(), global.end(), g);
  if (it == global.end()) return false;
  global.erase(it);
  tr_.global = true;
  gs[size_t(g)].q = Where::None;
  return true;
}

void Replayer::queueOps(const Event& e) {
  switch (e.ev) {
    case Ev::RunqPut: runqPut(e); break;
    case Ev::RunqPutSlow: runqPutSlow(e); break;
    case Ev::RunqGet: runqGet(e); break;
    case Ev::RunqSteal: runqSteal(e); break;
    case Ev::ProcsChange: procsChange(e); break;
    default: break;
  }
}

// ProcsChange: Ps 0..procs-1 exist (idle until a ProcStart).
void Replayer::procsChange(const Event& e) {
  int64_t n = t_.arg(e, 0);
  if (n < 0 || n > kMaxP) {
    violate(what(e) + ": procs=" + std::to_string(n) + " is out of range");
    return;
  }
  if (n > 0) proc(int32_t(n - 1));
}

// RunqPut: runnext replaces p's runnext (kicked names the G pushed out, which the
// runtime re-puts with a RunqPut local); local appends to p's queue; global to the
// global queue.
void Replayer::runqPut(const Event& e) {
  int32_t g = ids_.dense(t_.arg(e, 0));
  auto where = RunqWhere(t_.arg(e, 1));
  if (g < 0) return;  // checkG reported it
  if (gs[size_t(g)].q != Where::None) return;  // already queued: reported, keep it where it is
  if (where == RunqWhere::Global) {
    enqueue(g, Where::Global, -1);
    return;
  }
  PRec* P = proc(e.p);
  if (P == nullptr) {
    violate(what(e) + ": a put to a local queue or runnext needs the queue's P, but p=" +
            std::to_string(e.p));
    return;
  }
  if (where == RunqWhere::Local) {
    enqueue(g, Where::Local, e.p);
    return;
  }
  int32_t kicked = ids_.dense(t_.arg(e, 2));
  if (kicked != P->runnext)
    violate(what(e) + ": it says it kicked " + (kicked < 0 ? "nothing" : gName(kicked)) +
            " out of P" + std::to_string(e.p) + "'s runnext, but runnext held " +
            (P->runnext < 0 ? "nothing" : gName(P->runnext)));
  if (P->runnext >= 0) {  // the kicked G is in no queue until its RunqPut local
    gs[size_t(P->runnext)].q = Where::None;
    gs[size_t(P->runnext)].p = -1;
  }
  enqueue(g, Where::Runnext, e.p);
}

// RunqPutSlow: all but the last of gs come off p's local queue, the last is the new
// G; all go to the global queue in order.
void Replayer::runqPutSlow(const Event& e) {
  PRec* P = proc(e.p);
  auto gsl = t_.glist(e, 0);
  if (P == nullptr) {
    violate(what(e) + ": it needs the P whose queue is full, but p=" + std::to_string(e.p));
    return;
  }
  if (gsl.empty()) {
    violate(what(e) + ": gs is empty; it should hold half the local queue and the new G");
    return;
  }
  for (size_t k = 0; k < gsl.size(); k++) {
    int32_t g = ids_.dense(gsl[k]);
    if (g < 0) continue;
    const GRec& G = gs[size_t(g)];
    bool last = k + 1 == gsl.size();
    if (G.st != GStatus::Runnable)
      violate(what(e) + ": " + gName(g) + " is " + describeG(g) + ", not runnable");
    if (!last && !(G.q == Where::Local && G.p == e.p))
      violate(what(e) + ": " + gName(g) + " is not in P" + std::to_string(e.p) +
              "'s local queue (it is " + describeWhere(g) + ")");
    if (last && G.q != Where::None)
      violate(what(e) + ": the new G, " + gName(g) + ", is already " + describeWhere(g));
    if (G.q == Where::Local) removeLocal(*proc(G.p), g);
    if (G.q == Where::Global) removeGlobal(g);
    enqueue(g, Where::Global, -1);
  }
}

// RunqGet: gp leaves the queue src names (global: gp is the head; batch moves the
// next Gs from the global head to p's local tail; steal: the G the last RunqSteal
// on p took to run; netpoll: a G the poller just readied, in no queue).
void Replayer::runqGet(const Event& e) {
  int32_t g = ids_.dense(t_.arg(e, 0));
  auto src = RunqSrc(t_.arg(e, 1));
  PRec* P = proc(e.p);
  if (g < 0 || P == nullptr) return;  // reported by the table rows
  GRec& G = gs[size_t(g)];
  auto pn = [&] { return "P" + std::to_string(e.p); };  // for messages only: built when one is
  switch (src) {
    case RunqSrc::Runnext:
      if (P->runnext != g) {
        violate(what(e) + ": " + pn() + "'s runnext holds " +
                (P->runnext < 0 ? std::string("nothing") : gName(P->runnext)) + ", not " +
                gName(g) + " (" + gName(g) + " is " + describeWhere(g) + ")");
        break;
      }
      P->runnext = -1;
      touchQueue(e.p);
      break;
    case RunqSrc::Local:
      if (!(G.q == Where::Local && G.p == e.p)) {
        violate(what(e) + ": " + gName(g) + " is not in " + pn() + "'s local queue (it is " +
                describeWhere(g) + ")");
        break;
      }
      removeLocal(*P, g);
      break;
    case RunqSrc::Global:
    case RunqSrc::GlobalFair: globalGet(e, *P, g); break;
    case RunqSrc::Steal:
      if (P->stolen != g) {
        violate(what(e) + ": " + pn() + " did not just steal " + gName(g) + " (" + gName(g) +
                " is " + describeWhere(g) + ")");
        break;
      }
      P->stolen = -1;
      break;
    case RunqSrc::Netpoll:
      if (G.q != Where::None)
        violate(what(e) + ": the poller readied " + gName(g) + ", but it is " + describeWhere(g));
      break;
    case RunqSrc::Count: break;
  }
  if (G.q == Where::Global) removeGlobal(g);  // best effort after a violation
  if (G.q == Where::Local && proc(G.p) != nullptr) removeLocal(*proc(G.p), g);
  G.q = Where::None;
}

void Replayer::globalGet(const Event& e, PRec& pp, int32_t g) {
  if (global.empty() || global.front() != g) {
    violate(what(e) + ": " + gName(g) + " is not at the head of the global queue (" +
            (global.empty() ? std::string("it is empty") : "the head is " + gName(global.front())) +
            "; " + gName(g) + " is " + describeWhere(g) + ")");
    removeGlobal(g);
  } else {
    global.pop_front();
    gs[size_t(g)].q = Where::None;
    tr_.global = true;
  }
  for (int32_t id : t_.glist(e, 2)) {
    int32_t b = ids_.dense(id);
    if (b < 0) continue;
    if (global.empty() || global.front() != b) {
      violate(what(e) + ": batch G" + std::to_string(id) +
              " is not next at the head of the global queue (it is " + describeWhere(b) + ")");
      if (gs[size_t(b)].q == Where::Global) removeGlobal(b);
      if (gs[size_t(b)].q != Where::None) continue;
    } else {
      global.pop_front();
      tr_.global = true;
    }
    enqueue(b, Where::Local, int32_t(&pp - ps.data()));
  }
}

// RunqSteal: the thief is the event's p. gs came off victim's local queue (or, with
// runnext=1, the single G was victim's runnext); the last runs now, the rest join
// the thief's local queue.
void Replayer::runqSteal(const Event& e) {
  int64_t vid = t_.arg(e, 0);
  // Grow ps once for both, so neither pointer is invalidated by the other lookup.
  if (vid >= 0 && vid < kMaxP) proc(int32_t(std::max<int64_t>(vid, e.p)));
  PRec* thief = proc(e.p);
  PRec* victim = vid < 0 || vid >= kMaxP ? nullptr : proc(int32_t(vid));
  auto gsl = t_.glist(e, 1);
  bool fromRunnext = t_.arg(e, 2) != 0;
  auto vn = [&] { return "P" + std::to_string(vid); };  // for messages only: built when one is
  if (thief == nullptr || victim == nullptr) {
    violate(what(e) + ": thief P" + std::to_string(e.p) + " or victim " + vn() + " is not a P");
    return;
  }
  if (gsl.empty()) {
    violate(what(e) + ": gs is empty; a steal takes at least one G");
    return;
  }
  if (fromRunnext && gsl.size() != 1)
    violate(what(e) + ": runnext=1 but gs holds " + std::to_string(gsl.size()) + " Gs");
  if (vid == e.p) violate(what(e) + ": a P cannot steal from itself");
  for (size_t k = 0; k < gsl.size(); k++) {
    int32_t g = ids_.dense(gsl[k]);
    if (g < 0) continue;
    GRec& G = gs[size_t(g)];
    if (G.st != GStatus::Runnable)
      violate(what(e) + ": " + gName(g) + " is " + describeG(g) + ", not runnable");
    if (fromRunnext) {
      if (victim->runnext != g)
        violate(what(e) + ": " + vn() + "'s runnext holds " +
                (victim->runnext < 0 ? std::string("nothing") : gName(victim->runnext)) + ", not " +
                gName(g) + " (" + gName(g) + " is " + describeWhere(g) + ")");
      else {
        victim->runnext = -1;
        touchQueue(int32_t(vid));
        G.q = Where::None;
      }
    } else if (!(G.q == Where::Local && G.p == vid)) {
      violate(what(e) + ": " + gName(g) + " is not in " + vn() + "'s local queue (it is " +
              describeWhere(g) + ")");
    }
    if (G.q == Where::Local) removeLocal(*proc(G.p), g);
    if (G.q == Where::Global) removeGlobal(g);
    if (G.q == Where::Runnext) {
      proc(G.p)->runnext = -1;
      touchQueue(G.p);
      G.q = Where::None;
    }
    if (k + 1 == gsl.size()) {
      thief->stolen = g;
      continue;
    }
    enqueue(g, Where::Local, e.p);
  }
}

}  // namespace gmps::model::detail
