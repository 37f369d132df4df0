// panic.cpp — fatal errors and panics (Go: panic.go throw, fatal, fatalpanic;
// traceback.go for the goroutine list).
//
// Three kinds of failure: a broken runtime invariant (throw_: "fatal error: ..."),
// a fatal condition of the program (fatal: deadlock, stack overflow, thread
// exhaustion), and a panic that no one recovered (fatalPanic). All print Go's
// message, flush the trace recorded so far, and exit with status 2.
#include <cstdio>
#include <cstring>
#include <algorithm>
#include <unistd.h>
#include <vector>

#include "runtime2.h"

namespace gmps::rt {

namespace {
std::atomic<int> dying{0};

const char* statusString(G* gp) {
  switch (readgstatus(gp)) {
    case _Grunnable: return "runnable";
    case _Grunning: return "running";
    case _Gsyscall: return "syscall";
    case _Gwaiting: {
      auto r = gp->waitreason;
      return r < uint8_t(trace::BlockReason::Count) ? trace::kBlockReasonNames[r] : "waiting";
    }
    default: return "dead";
  }
}
}  // namespace

// printGoroutines prints each live goroutine as Go's traceback header does:
// "goroutine 1 [chan receive]:" followed by its function.
void printGoroutines(FILE* f, G* self) {
  int shown = 0;
  std::vector<G*> gs;
  for (G* gp = allgs; gp != nullptr; gp = gp->alllink)
    if (readgstatus(gp) != _Gdead) gs.push_back(gp);
  // The goroutine that failed first, then the others by id, as Go's traceback does.
  std::sort(gs.begin(), gs.end(), [self](G* a, G* b) {
    if ((a == self) != (b == self)) return a == self;
    return a->goid < b->goid;
  });
  for (G* gp : gs) {
    if (shown++ == 20) {
      std::fprintf(f, "...additional goroutines elided...\n\n");
      break;
    }
    const char* fn = gp->label ? gp->label : "main.func";
    if (gp->goid == 1) fn = "main.main";
    std::fprintf(f, "goroutine %lld [%s]:\n%s()\n", static_cast<long long>(gp->goid),
                 gp == self ? "running" : statusString(gp), fn);
    if (gp->parentGoid > 0)
      std::fprintf(f, "created by goroutine %lld\n", static_cast<long long>(gp->parentGoid));
    std::fputc('\n', f);
  }
}

[[noreturn]] static void die(const char* prefix, const char* msg, G* self) {
  if (dying.fetch_add(1) != 0) {
    // Another M is already dying: wait for it to exit the process.
    for (;;) pause();
  }
  std::fflush(stdout);
  std::fprintf(stderr, "%s%s\n\n", prefix, msg);
  printGoroutines(stderr, self);
  dieAfterTrace(2);
}

void throw_(const char* msg) {
  M* mp = getm();
  die("fatal error: ", msg, mp ? mp->curg : nullptr);
}

void fatal(const char* msg) {
  M* mp = getm();
  die("fatal error: ", msg, mp ? mp->curg : nullptr);
}

void fatalPanic(G* gp, const char* msg) {
  die("panic: ", msg, gp);
}

}  // namespace gmps::rt

namespace gmps {

void panic(const std::string& msg) {
  rt::runningPanicDefers.fetch_add(1);
  std::shared_ptr<void> token(nullptr, [](void*) { rt::runningPanicDefers.fetch_sub(1); });
  throw Panic{msg, std::move(token)};
}

}  // namespace gmps
