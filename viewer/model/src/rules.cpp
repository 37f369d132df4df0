// rules.cpp — the transition tables (see rules.h) and their per-event index.
//
// Where the rows come from: GO-FACTS.md and proc.go. GoCreate (newproc1) makes a
// _Grunnable G; execute moves _Grunnable -> _Grunning, and only a G that findRunnable
// has taken out of its queue may be executed; goschedImpl and gopreempt_m move
// _Grunning -> _Grunnable; park_m _Grunning -> _Gwaiting; ready _Gwaiting -> _Grunnable
// (also the G itself, when park_m's unlock function abandons the park); goexit0
// _Grunning -> _Gdead; entersyscall _Grunning -> _Gsyscall; exitsyscall back to
// _Grunning, or to _Grunnable when exitsyscall0 found no P.
#include "rules.h"

#include <array>
#include <string>

namespace gmps::model::detail {
namespace {

using trace::argIndex;
using G = GStatus;
using M = MStatus;

constexpr int8_t arg(Ev e, const char* name) { return int8_t(argIndex(e, name)); }

constexpr GRule kGRules[] = {
    {Ev::GoCreate, arg(Ev::GoCreate, "newg"), bit(G::None), G::Runnable, 0},
    {Ev::GoStart, kSelf, bit(G::Runnable), G::Running, kUnqueued},
    {Ev::GoStop, kSelf, bit(G::Running), G::Runnable, kOnThisM},
    {Ev::GoBlock, kSelf, bit(G::Running), G::Waiting, kOnThisM},
    {Ev::GoUnblock, arg(Ev::GoUnblock, "gp"), bit(G::Waiting), G::Runnable, 0},
    {Ev::GoEnd, kSelf, bit(G::Running), G::Dead, kOnThisM},
    {Ev::GoSyscallBegin, kSelf, bit(G::Running), G::Syscall, kOnThisM},
    {Ev::GoSyscallEnd, kSelf, bit(G::Syscall), G::Running, kOnThisM},
    {Ev::GoSyscallEndBlocked, kSelf, bit(G::Syscall), G::Runnable, kOnThisM},
    // Only runnable Gs move through the queues (queues.cpp checks where they are).
    {Ev::RunqPut, arg(Ev::RunqPut, "gp"), bit(G::Runnable), G::Count, kUnqueued},
    {Ev::RunqGet, arg(Ev::RunqGet, "gp"), bit(G::Runnable), G::Count, 0},
};

constexpr MRule kMRules[] = {
    {Ev::MStart, kSelf, bit(M::None), M::Idle, 0},
    {Ev::MSpinStart, kSelf, bit(M::Idle), M::Spinning, 0},
    {Ev::MSpinStop, kSelf, bit(M::Spinning), M::Idle, 0},
    // stopm parks an M that gave up its P and stopped spinning.
    {Ev::MPark, kSelf, bit(M::Idle), M::Parked, 0},
    // startm takes an M from the idle list; it may not have recorded its MPark yet
    // (it records it after mput), so an idle M may be woken too.
    {Ev::MUnpark, arg(Ev::MUnpark, "mp"), uint8_t(bit(M::Idle) | bit(M::Parked)), M::Idle, 0},
    // schedule calls resetspinning before execute: a spinning M stops spinning first.
    {Ev::GoStart, kSelf, bit(M::Idle), M::Running, kSetCurG},
    {Ev::GoStop, kSelf, bit(M::Running), M::Idle, kClearCurG},
    {Ev::GoBlock, kSelf, bit(M::Running), M::Idle, kClearCurG},
    {Ev::GoEnd, kSelf, bit(M::Running), M::Idle, kClearCurG},
    {Ev::GoSyscallBegin, kSelf, bit(M::Running), M::Syscall, 0},
    {Ev::GoSyscallEnd, kSelf, bit(M::Syscall), M::Running, 0},
    {Ev::GoSyscallEndBlocked, kSelf, bit(M::Syscall), M::Idle, kClearCurG},
};

constexpr PRule kPRules[] = {
    {Ev::ProcStart, kSelf, PNeed::Idle, -1, PDo::Acquire},
    {Ev::ProcStop, kSelf, PNeed::HeldByM, -1, PDo::Release},
    {Ev::ProcSteal, arg(Ev::ProcSteal, "pp"), PNeed::HeldByArgM, arg(Ev::ProcSteal, "mp"),
     PDo::Release},
    // startm hands an idle P to the M it wakes.
    {Ev::MUnpark, arg(Ev::MUnpark, "pp"), PNeed::Idle, -1, PDo::None},
    {Ev::GoStart, kSelf, PNeed::HeldByM, -1, PDo::SetCurG},
    {Ev::GoSyscallEnd, kSelf, PNeed::HeldByM, -1, PDo::SetCurG},
    {Ev::GoStop, kOfG, PNeed::Any, -1, PDo::ClearCurG},
    {Ev::GoBlock, kOfG, PNeed::Any, -1, PDo::ClearCurG},
    {Ev::GoEnd, kOfG, PNeed::Any, -1, PDo::ClearCurG},
    {Ev::GoSyscallBegin, kOfG, PNeed::Any, -1, PDo::ClearCurG},
    // findRunnable and runqsteal run on the M that owns the P.
    {Ev::RunqGet, kSelf, PNeed::HeldByM, -1, PDo::None},
    {Ev::RunqSteal, kSelf, PNeed::HeldByM, -1, PDo::None},
};

std::array<RulesFor, trace::kNumEvents> buildIndex() {
  std::array<RulesFor, trace::kNumEvents> idx{};
  for (const GRule& r : kGRules) {
    RulesFor& f = idx[size_t(r.ev)];
    f.g[f.ng++] = &r;
  }
  for (const MRule& r : kMRules) {
    RulesFor& f = idx[size_t(r.ev)];
    f.m[f.nm++] = &r;
  }
  for (const PRule& r : kPRules) {
    RulesFor& f = idx[size_t(r.ev)];
    f.p[f.np++] = &r;
  }
  return idx;
}

template <typename S>
std::string joinMask(uint8_t mask, int count, const char* (*name)(S)) {
  std::string out;
  for (int i = 0; i < count; i++) {
    if (!((mask >> i) & 1)) continue;
    if (!out.empty()) out += " or ";
    out += name(S(i));
  }
  return out;
}

}  // namespace

const RulesFor& rulesFor(Ev e) {
  static const std::array<RulesFor, trace::kNumEvents> idx = buildIndex();
  return idx[size_t(e)];
}

std::string expectedText(uint8_t gMask) {
  return joinMask<GStatus>(gMask, int(GStatus::Count), gStatusName);
}

std::string expectedMText(uint8_t mMask) {
  return joinMask<MStatus>(mMask, int(MStatus::Count), mStatusName);
}

}  // namespace gmps::model::detail
