// chan.h (internal) — the channel structure shared by chan.cpp and select.cpp.
#pragma once

#include "gmpscope/chan.h"
#include "gmpscope/select.h"
#include "runtime2.h"

namespace gmps::rt {

struct waitq {
  sudog* first = nullptr;
  sudog* last = nullptr;
  void enqueue(sudog* sg);
  sudog* dequeue();       // skips select waiters whose select already finished
  void remove(sudog* sg);  // Go: dequeueSudoG
};

// hchan is a channel (Go: chan.go hchan). Elements live in buf as constructed
// objects between send and receive; elemtype moves and destroys them.
struct hchan {
  std::atomic<int64_t> refs{1};
  const ElemType* elemtype = nullptr;
  size_t qcount = 0;    // elements in the queue
  size_t dataqsiz = 0;  // size of the circular queue
  char* buf = nullptr;
  size_t sendx = 0;
  size_t recvx = 0;
  waitq recvq;  // blocked receivers
  waitq sendq;  // blocked senders
  bool closed = false;
  Mutex lock;  // guards every field above except refs

  void* slot(size_t i) { return buf + i * elemtype->size; }
};

// send and recv complete an operation with a waiting partner sg; c.lock is held on
// entry and released before the partner is readied. Go: chan.go send, recv.
void chanSendTo(hchan* c, sudog* sg, void* ep);
void chanRecvFrom(hchan* c, sudog* sg, void* ep);
bool chanparkcommit(G* gp, void* lock);
[[noreturn]] void panicChan(const char* msg);

}  // namespace gmps::rt
