// stack.cpp — goroutine stacks (Go: stack.go, much simplified: stacks do not grow).
//
// Stacks are carved from large arenas reserved with MAP_NORESERVE: the address
// space is reserved, and a page costs memory only once touched. A stack is never
// unmapped while the run lasts; a dead G keeps its stack on the free lists, so the
// first-touch cost of fresh pages (2-6 µs on these machines) is paid once per
// stack, not once per goroutine.
//
// Guard pages. Each stack slot is [guard page][stack]. Linux limits a process to
// vm.max_map_count mappings (65,530 by default), and every PROT_NONE guard inside
// an arena splits it into two more. So the first stacks (up to a budget derived from
// max_map_count, about 27,000 by default) get real guard pages: an overflow faults
// and signal.cpp reports "fatal error: stack overflow". Stacks beyond the budget
// (a program with a million live goroutines) keep the page below them as an
// unprotected red zone, and the scheduler checks it at every switch instead.
// Unlike Go: Go's stacks start at 2 KiB and are copied to grow; C++ frames cannot
// be moved, so each goroutine gets a fixed stack (GMPSTACK bytes, default 64 KiB).
#include <sys/mman.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "runtime2.h"

namespace gmps::rt {
extern "C" void gmps_gostart();

namespace {

constexpr size_t kPage = 4096;
constexpr size_t kArenaSlotsGuarded = 64;
constexpr size_t kArenaSlotsPlain = 1024;
constexpr uint64_t kRedZoneMagic = 0x5354414b5a4f4e45ull;  // "STAKZONE"

struct Arena {
  char* base;
  size_t slots;
  size_t next;
  bool guarded;
  Arena* link;
};

struct StackAlloc {
  Mutex lock;
  std::vector<Stack> free;  // stacks spilled from full per-P caches
  size_t stackSize = 64 * 1024;
  size_t slotSize = 0;
  Arena* cur = nullptr;
  Arena* all = nullptr;
  int64_t guardBudget = 0;  // how many more guard pages we may create
};
StackAlloc sa;

Arena* newArena() {
  bool guarded = sa.guardBudget >= int64_t(kArenaSlotsGuarded);
  size_t slots = guarded ? kArenaSlotsGuarded : kArenaSlotsPlain;
  size_t bytes = slots * sa.slotSize;
  void* p = mmap(nullptr, bytes, PROT_READ | PROT_WRITE,
                 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (p == MAP_FAILED) return nullptr;
  madvise(p, bytes, MADV_NOHUGEPAGE);  // a huge page would commit 2 MiB per stack
  if (guarded) sa.guardBudget -= int64_t(slots);
  auto* a = new Arena{static_cast<char*>(p), slots, 0, guarded, sa.all};
  sa.all = a;
  return a;
}

}  // namespace

// readMaxMapCount: vm.max_map_count, the most mappings this process may have.
int64_t readMaxMapCount() {
  FILE* f = std::fopen("/proc/sys/vm/max_map_count", "r");
  long v = 65530;
  if (f) {
    if (std::fscanf(f, "%ld", &v) != 1) v = 65530;
    std::fclose(f);
  }
  return v;
}

size_t stackSizeSetting() { return sa.stackSize; }

// stackinit sets the stack size and the guard budget (Go: stack.go stackinit).
void stackinit(size_t stackSize) {
  size_t sz = (stackSize + kPage - 1) & ~(kPage - 1);
  if (sz < 16 * 1024) sz = 16 * 1024;
  sa.stackSize = sz;
  sa.slotSize = sz + kPage;
  sa.cur = nullptr;
  // Leave room for the program's own mappings: libraries, malloc arenas, threads.
  sa.guardBudget = (readMaxMapCount() - 12000) / 2;
  if (sa.guardBudget < 0) sa.guardBudget = 0;
}

// stackalloc gives s a fresh stack. Go: stack.go stackalloc.
bool stackalloc(Stack* s) {
  LockGuard lk(sa.lock);
  if (sa.cur == nullptr || sa.cur->next == sa.cur->slots) {
    sa.cur = newArena();
    if (sa.cur == nullptr) return false;
  }
  char* slot = sa.cur->base + sa.cur->next++ * sa.slotSize;
  // A slot's guard page is made as the slot is taken, one mprotect (~2 µs) with the
  // stack's first use, not all 64 with the arena's: that cost G1 ~180 µs between its
  // GoStart and runtime.main in every trace.
  // If the kernel refuses (no mappings left), the slot falls back to a red zone.
  s->guarded = sa.cur->guarded && mprotect(slot, kPage, PROT_NONE) == 0;
  s->lo = slot + kPage;
  s->hi = slot + sa.slotSize;
  return true;
}

// stackget gives s a stack for a G about to run on pp: from pp's cache, else a
// batch from the global free list, else fresh from an arena.
// Go: stack.go stackalloc → stackcacherefill.
bool stackget(P* pp, Stack* s) {
  if (pp->nstackcache == 0) {
    LockGuard lk(sa.lock);
    while (!sa.free.empty() && pp->nstackcache < P::kStackCacheMax / 2) {
      pp->stackcache[pp->nstackcache++] = sa.free.back();
      sa.free.pop_back();
    }
  }
  if (pp->nstackcache > 0) {
    *s = pp->stackcache[--pp->nstackcache];
    return true;
  }
  return stackalloc(s);
}

// stackput returns a dead G's stack to pp's cache; a full cache spills half to the
// global list. Its pages stay mapped and touched: the next G reuses them warm.
// Go: stack.go stackfree → stackcacherelease.
void stackput(P* pp, const Stack& s) {
  if (pp->nstackcache == P::kStackCacheMax) {
    LockGuard lk(sa.lock);
    while (pp->nstackcache > P::kStackCacheMax / 2) sa.free.push_back(pp->stackcache[--pp->nstackcache]);
  }
  pp->stackcache[pp->nstackcache++] = s;
}

// stackfree_all unmaps every arena at the end of a run; no G may use a stack then.
void stackfree_all() {
  LockGuard lk(sa.lock);
  for (Arena* a = sa.all; a != nullptr;) {
    Arena* next = a->link;
    munmap(a->base, a->slots * sa.slotSize);
    delete a;
    a = next;
  }
  sa.all = nullptr;
  sa.cur = nullptr;
  sa.free.clear();
}

bool stackContains(const Stack& s, const void* addr, size_t slack) {
  const char* a = static_cast<const char*>(addr);
  return a >= s.lo - slack && a < s.hi;
}

// redZoneIntact reports whether an unguarded stack's red zone was never written.
// Only its top words are checked: an overflow writes downward from lo.
bool redZoneIntact(const Stack& s) {
  if (s.guarded) return true;
  const uint64_t* w = reinterpret_cast<const uint64_t*>(s.lo) - 4;
  return (w[0] == 0 || w[0] == kRedZoneMagic) && w[1] == 0 && w[2] == 0 && w[3] == 0;
}

// gostartFrame lays out gp's first frame so that switching to gp "returns" into
// gmps_gostart, which calls entry(gp). Mirrors the frame gmps_swapctx pops.
void gostartFrame(G* gp, void (*entry)(G*)) {
  uintptr_t top = reinterpret_cast<uintptr_t>(gp->stack.hi) & ~uintptr_t(15);
  auto* sp = reinterpret_cast<uint64_t*>(top - 16);
  sp[0] = 0;  // fake return address of gmps_gostart's frame, for unwinders
  sp[1] = 0;
  sp -= 8;
  // sp[0]: MXCSR (low 32 bits) and x87 control word (bits 32-47), Linux defaults.
  sp[0] = 0x1F80ull | (0x037Full << 32);
  sp[1] = 0;                                     // r15
  sp[2] = 0;                                     // r14
  sp[3] = reinterpret_cast<uint64_t>(entry);    // r13: function
  sp[4] = reinterpret_cast<uint64_t>(gp);       // r12: argument
  sp[5] = 0;                                     // rbx
  sp[6] = 0;                                     // rbp
  sp[7] = reinterpret_cast<uint64_t>(&gmps_gostart);  // return address
  gp->sp = sp;
}

}  // namespace gmps::rt
