// chan.cpp — channels (Go: runtime/chan.go).
//
// Invariants (as in Go): at least one of c.sendq and c.recvq is empty, except for an
// unbuffered channel with a single goroutine blocked on both via select. For
// buffered channels, qcount > 0 implies recvq is empty and qcount < dataqsiz implies
// sendq is empty. A waiting goroutine's sudog and element live on its own stack;
// the partner moves the element directly into or out of it.
#include <cstdlib>
#include <new>

#include "chan.h"

namespace gmps::rt {

using trace::BlockReason;

void waitq::enqueue(sudog* sg) {
  sg->next = nullptr;
  sg->prev = last;
  if (last) {
    last->next = sg;
  } else {
    first = sg;
  }
  last = sg;
}

void waitq::remove(sudog* sg) {
  if (sg->prev) {
    sg->prev->next = sg->next;
  } else if (first == sg) {
    first = sg->next;
  } else {
    return;  // not on this queue
  }
  if (sg->next) {
    sg->next->prev = sg->prev;
  } else {
    last = sg->prev;
  }
  sg->next = sg->prev = nullptr;
}

sudog* waitq::dequeue() {
  for (;;) {
    sudog* sg = first;
    if (sg == nullptr) return nullptr;
    remove(sg);
    // A select waiter may already have been chosen by another case: skip it.
    if (sg->isSelect) {
      uint32_t zero = 0;
      if (!sg->g->selectDone.compare_exchange_strong(zero, 1)) continue;
    }
    return sg;
  }
}

[[noreturn]] void panicChan(const char* msg) { throw Panic{msg}; }

hchan* makechan(const ElemType* t, size_t size) {
  RuntimeScope rs;
  checkPreempt();
  if (size > (size_t(1) << 40) / (t->size ? t->size : 1)) panicChan("makechan: size out of range");
  auto* c = new hchan();
  c->elemtype = t;
  c->dataqsiz = size;
  if (size > 0) {
    c->buf = static_cast<char*>(::operator new(size * t->size, std::align_val_t(t->align < 16 ? 16 : t->align)));
  }
  return c;
}

void chanRetain(hchan* c) { c->refs.fetch_add(1, std::memory_order_relaxed); }

void chanRelease(hchan* c) {
  RuntimeScope rs;
  if (c->refs.fetch_sub(1, std::memory_order_acq_rel) != 1) return;
  for (size_t i = 0; i < c->qcount; i++) c->elemtype->destroy(c->slot((c->recvx + i) % c->dataqsiz));
  if (c->buf) ::operator delete(c->buf, std::align_val_t(c->elemtype->align < 16 ? 16 : c->elemtype->align));
  delete c;
}

size_t chanlen(hchan* c) {
  RuntimeScope rs;
  LockGuard lk(c->lock);
  return c->qcount;
}
size_t chancap(hchan* c) { return c->dataqsiz; }

bool chanparkcommit(G* gp, void* lock) {
  static_cast<Mutex*>(lock)->unlock();
  return true;
}

// parkForever blocks the goroutine for good (nil channel, empty select).
[[noreturn]] static void parkForever(BlockReason reason) {
  gopark(nullptr, nullptr, reason);
  throw_("parkForever: woken");
}

void chanSendTo(hchan* c, sudog* sg, void* ep) {
  // A receiver waits only while the buffer is empty, so even a buffered channel
  // hands the value straight to it.
  c->elemtype->moveInit(sg->elem, ep);
  G* gp = sg->g;
  sg->success = true;
  gp->param = sg;
  c->lock.unlock();
  goready(gp);
}

void chanRecvFrom(hchan* c, sudog* sg, void* ep) {
  const ElemType* t = c->elemtype;
  if (c->dataqsiz == 0) {
    t->moveInit(ep, sg->elem);  // copy straight from the sender's stack
  } else {
    // The queue is full: take the head element, and put the sender's at the tail
    // (which is the same slot, since the queue is full).
    void* qp = c->slot(c->recvx);
    t->moveInit(ep, qp);
    t->destroy(qp);
    t->moveInit(qp, sg->elem);
    c->recvx = (c->recvx + 1) % c->dataqsiz;
    c->sendx = c->recvx;
  }
  G* gp = sg->g;
  sg->success = true;
  gp->param = sg;
  c->lock.unlock();
  goready(gp);
}

// chansend sends *ep (moving from it), blocking until it can. Go: chan.go chansend.
void chansend(hchan* c, void* ep) {
  RuntimeScope rs;
  checkPreempt();
  if (c == nullptr) parkForever(BlockReason::ChanSendNil);
  c->lock.lock();
  if (c->closed) {
    c->lock.unlock();
    panicChan("send on closed channel");
  }
  if (sudog* sg = c->recvq.dequeue()) {
    chanSendTo(c, sg, ep);  // a receiver waits: hand the value over directly
    return;
  }
  if (c->qcount < c->dataqsiz) {
    c->elemtype->moveInit(c->slot(c->sendx), ep);
    c->sendx = (c->sendx + 1) % c->dataqsiz;
    c->qcount++;
    c->lock.unlock();
    return;
  }
  // Block on the channel. Someone receiving will take the value from our stack.
  G* gp = getg();
  sudog mysg;
  mysg.elem = ep;
  mysg.g = gp;
  mysg.c = c;
  gp->waiting = &mysg;
  gp->param = nullptr;
  c->sendq.enqueue(&mysg);
  gopark(chanparkcommit, &c->lock, BlockReason::ChanSend);
  gp->waiting = nullptr;
  gp->param = nullptr;
  if (!mysg.success) panicChan("send on closed channel");
}

// chanrecv receives into ep (uninitialised storage). Returns false, leaving ep
// untouched, if the channel is closed and drained. Go: chan.go chanrecv.
bool chanrecv(hchan* c, void* ep) {
  RuntimeScope rs;
  checkPreempt();
  if (c == nullptr) parkForever(BlockReason::ChanRecvNil);
  c->lock.lock();
  if (c->closed && c->qcount == 0) {
    c->lock.unlock();
    return false;
  }
  if (sudog* sg = c->sendq.dequeue()) {
    chanRecvFrom(c, sg, ep);
    return true;
  }
  if (c->qcount > 0) {
    void* qp = c->slot(c->recvx);
    c->elemtype->moveInit(ep, qp);
    c->elemtype->destroy(qp);
    c->recvx = (c->recvx + 1) % c->dataqsiz;
    c->qcount--;
    c->lock.unlock();
    return true;
  }
  G* gp = getg();
  sudog mysg;
  mysg.elem = ep;
  mysg.g = gp;
  mysg.c = c;
  gp->waiting = &mysg;
  gp->param = nullptr;
  c->recvq.enqueue(&mysg);
  gopark(chanparkcommit, &c->lock, BlockReason::ChanRecv);
  gp->waiting = nullptr;
  gp->param = nullptr;
  return mysg.success;
}

bool selectnbsend(hchan* c, void* ep) {
  scase cs{c, ep};
  bool ok;
  return selectgo(&cs, 1, 0, false, &ok) == 0;
}

bool selectnbrecv(hchan* c, void* ep, bool* received) {
  scase cs{c, ep};
  return selectgo(&cs, 0, 1, false, received) == 0;
}

// closechan closes c, waking every waiter. Go: chan.go closechan.
void closechan(hchan* c) {
  RuntimeScope rs;
  if (c == nullptr) panicChan("close of nil channel");
  c->lock.lock();
  if (c->closed) {
    c->lock.unlock();
    panicChan("close of closed channel");
  }
  c->closed = true;
  G* glist = nullptr;
  // Release all readers (their elements stay untouched) and all writers (they panic).
  for (waitq* q : {&c->recvq, &c->sendq}) {
    while (sudog* sg = q->dequeue()) {
      sg->success = false;
      sg->g->param = sg;
      sg->g->schedlink = glist;
      glist = sg->g;
    }
  }
  c->lock.unlock();
  // Ready all Gs now that we've dropped the channel lock.
  while (glist != nullptr) {
    G* gp = glist;
    glist = gp->schedlink;
    gp->schedlink = nullptr;
    goready(gp);
  }
}

}  // namespace gmps::rt
