// select.cpp — the select statement (Go: runtime/select.go selectgo).
//
// selectgo locks every channel involved in address order (so two selects cannot
// deadlock), polls the cases in a random order (so no case starves), and if none is
// ready and the select may block, enqueues a sudog on every channel and parks. The
// first partner to dequeue one of them wins the CAS on gp.selectDone; on waking, the
// goroutine takes its other sudogs off their queues.
#include <algorithm>
#include <memory>

#include "chan.h"

namespace gmps::rt {

using trace::BlockReason;

namespace {

constexpr int kMaxCases = 65536;

struct selectState {
  scase* cases;
  uint16_t* lockorder;
  int norder;
};

void sellock(const selectState& s) {
  hchan* last = nullptr;
  for (int i = 0; i < s.norder; i++) {
    hchan* c = s.cases[s.lockorder[i]].c;
    if (c != last) c->lock.lock();
    last = c;
  }
}

void selunlock(const selectState& s) {
  // Unlock in reverse order; skip duplicates (a channel may appear in several cases).
  for (int i = s.norder - 1; i >= 0; i--) {
    hchan* c = s.cases[s.lockorder[i]].c;
    if (i > 0 && c == s.cases[s.lockorder[i - 1]].c) continue;
    c->lock.unlock();
  }
}

// selunlockExcept unlocks every channel but keep, which the caller unlocks itself.
void selunlockExcept(const selectState& s, hchan* keep) {
  for (int i = s.norder - 1; i >= 0; i--) {
    hchan* c = s.cases[s.lockorder[i]].c;
    if (i > 0 && c == s.cases[s.lockorder[i - 1]].c) continue;
    if (c != keep) c->lock.unlock();
  }
}

bool selparkcommit(G* gp, void* arg) {
  selunlock(*static_cast<selectState*>(arg));
  return true;
}

}  // namespace

int selectgo(scase* cases, int nsends, int nrecvs, bool block, bool* recvOK) {
  RuntimeScope rs;
  checkPreempt();
  int ncases = nsends + nrecvs;
  if (ncases > kMaxCases) throw_("selectgo: too many cases");
  *recvOK = false;
  uint16_t pollorder[ncases + 1];
  uint16_t lockorder[ncases + 1];
  // Random poll order over the non-nil cases (a Fisher-Yates insertion, as in Go).
  int norder = 0;
  for (int i = 0; i < ncases; i++) {
    if (cases[i].c == nullptr) continue;
    int j = int(fastrandn(uint32_t(norder + 1)));
    pollorder[norder] = pollorder[j];
    pollorder[j] = uint16_t(i);
    norder++;
  }
  if (norder == 0) {
    if (!block) return -1;
    gopark(nullptr, nullptr, BlockReason::SelectNoCases);  // select {} blocks forever
    throw_("selectgo: woken from select with no cases");
  }
  std::copy(pollorder, pollorder + norder, lockorder);
  std::sort(lockorder, lockorder + norder, [&](uint16_t a, uint16_t b) {
    return reinterpret_cast<uintptr_t>(cases[a].c) < reinterpret_cast<uintptr_t>(cases[b].c);
  });
  selectState st{cases, lockorder, norder};
  sellock(st);

  // Pass 1: look for something already waiting.
  for (int k = 0; k < norder; k++) {
    int casi = pollorder[k];
    scase& cs = cases[casi];
    hchan* c = cs.c;
    if (casi >= nsends) {
      if (sudog* sg = c->sendq.dequeue()) {
        selunlockExcept(st, c);
        chanRecvFrom(c, sg, cs.elem);  // unlocks c
        *recvOK = true;
        return casi;
      }
      if (c->qcount > 0) {
        void* qp = c->slot(c->recvx);
        c->elemtype->moveInit(cs.elem, qp);
        c->elemtype->destroy(qp);
        c->recvx = (c->recvx + 1) % c->dataqsiz;
        c->qcount--;
        selunlock(st);
        *recvOK = true;
        return casi;
      }
      if (c->closed) {
        selunlock(st);
        return casi;  // recvOK false: closed
      }
    } else {
      if (c->closed) {
        selunlock(st);
        panicChan("send on closed channel");
      }
      if (sudog* sg = c->recvq.dequeue()) {
        selunlockExcept(st, c);
        chanSendTo(c, sg, cs.elem);  // unlocks c
        return casi;
      }
      if (c->qcount < c->dataqsiz) {
        c->elemtype->moveInit(c->slot(c->sendx), cs.elem);
        c->sendx = (c->sendx + 1) % c->dataqsiz;
        c->qcount++;
        selunlock(st);
        return casi;
      }
    }
  }
  if (!block) {
    selunlock(st);
    return -1;
  }

  // Pass 2: enqueue on all channels, in lock order.
  G* gp = getg();
  sudog small[8];
  std::unique_ptr<sudog[]> big;
  if (norder > 8) big.reset(new sudog[size_t(norder)]);
  sudog* sgs = big ? big.get() : small;
  for (int k = 0; k < norder; k++) {
    int casi = lockorder[k];
    sudog& sg = sgs[k];
    sg.isSelect = true;
    sg.g = gp;
    sg.elem = cases[casi].elem;
    sg.c = cases[casi].c;
    sg.success = false;
    if (casi < nsends) {
      cases[casi].c->sendq.enqueue(&sg);
    } else {
      cases[casi].c->recvq.enqueue(&sg);
    }
  }
  gp->param = nullptr;
  gp->selectDone.store(0);
  gopark(selparkcommit, &st, BlockReason::Select);

  // Pass 3: dequeue from the unsuccessful channels.
  sellock(st);
  gp->selectDone.store(0);
  sudog* won = static_cast<sudog*>(gp->param);
  gp->param = nullptr;
  int casi = -1;
  bool caseSuccess = false;
  for (int k = 0; k < norder; k++) {
    int ci = lockorder[k];
    if (&sgs[k] == won) {
      casi = ci;
      caseSuccess = sgs[k].success;
      continue;
    }
    if (ci < nsends) {
      cases[ci].c->sendq.remove(&sgs[k]);
    } else {
      cases[ci].c->recvq.remove(&sgs[k]);
    }
  }
  selunlock(st);
  if (casi < 0) throw_("selectgo: bad wakeup");
  if (casi < nsends) {
    if (!caseSuccess) panicChan("send on closed channel");
    return casi;
  }
  *recvOK = caseSuccess;
  return casi;
}

}  // namespace gmps::rt
