// events.h — the one table that defines every trace event.
//
// Each row gives the event's name (as written in trace files), the Go runtime
// function it corresponds to (for the viewer's "see Go source" links), a one-line
// explanation for learners, and its arguments. Nothing else in gmpscope spells an
// event name: the runtime emits by enum, readers map names back through this table.
//
// Every event also carries the common fields "ts" (ns since trace start), "m", "p"
// and "g": the M that recorded it, the P that M held (-1 if none) and the G running
// on that M (-1 when the M was on its g0 scheduler stack).
//
// Names follow Go's execution tracer where Go has the event (Go 1.22 vocabulary);
// the rest are this project's: run queues, M states, sysmon and startup.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

namespace gmps::trace {

// ArgKind says how an argument is stored and how a reader should show it.
enum class ArgKind : uint8_t {
  Int,    // plain integer
  G,      // goroutine id (-1 = none)
  P,      // P id (-1 = none)
  M,      // M id (-1 = none)
  Dur,    // duration in nanoseconds
  Enum,   // index into one of the enum tables below; written as its string
  Str,    // string; in the runtime a pointer to a string with static lifetime
  GList,  // list of goroutine ids; written as a JSON array
};

// EnumKind names the string table an Enum argument indexes.
enum class EnumKind : uint8_t { None, StopReason, BlockReason, RunqWhere, RunqSrc, StartupStep };

struct ArgDef {
  const char* name;
  ArgKind kind;
  EnumKind enumKind = EnumKind::None;
};

inline constexpr int kMaxArgs = 4;

struct EventDef {
  const char* name;     // as in the trace file
  const char* goFunc;   // Go source file and function, e.g. "proc.go newproc1"
  const char* summary;  // one line for learners
  bool beyondGo;        // true when real Go traces have no such event
  std::array<ArgDef, kMaxArgs> args;
  int nargs;
};

#define GMPS_A(name, kind) ::gmps::trace::ArgDef{name, ::gmps::trace::ArgKind::kind}
#define GMPS_E(name, ek) \
  ::gmps::trace::ArgDef{name, ::gmps::trace::ArgKind::Enum, ::gmps::trace::EnumKind::ek}

// X(Name, beyondGo, "go file function", "summary", args...)
#define GMPS_EVENT_TABLE(X)                                                                      \
  /* Goroutines (Go's names) */                                                                  \
  X(GoCreate, false, "proc.go newproc1", "a go statement created goroutine newg",               \
    GMPS_A("newg", G), GMPS_A("label", Str))                                                      \
  X(GoStart, false, "proc.go execute",                                                           \
    "the G starts running on this M and P; inherit=1 means it shares the current time slice",   \
    GMPS_A("inherit", Int))                                                                      \
  X(GoStop, false, "proc.go goschedImpl",                                                        \
    "the running G stopped but stays runnable (yielded or preempted)",                          \
    GMPS_E("reason", StopReason))                                                                \
  X(GoBlock, false, "proc.go gopark", "the running G parked: it waits for something",           \
    GMPS_E("reason", BlockReason))                                                               \
  X(GoUnblock, false, "proc.go ready", "goroutine gp was made runnable again by this G",       \
    GMPS_A("gp", G))                                                                             \
  X(GoEnd, false, "proc.go goexit0", "the G returned from its function; its G is recycled")   \
  X(GoSyscallBegin, false, "proc.go entersyscall",                                               \
    "the G entered a blocking system call; blocking=1 hands the P off at once",                 \
    GMPS_A("blocking", Int))                                                                     \
  X(GoSyscallEnd, false, "proc.go exitsyscall",                                                  \
    "the G left its system call and kept or found a P (fast path)")                              \
  X(GoSyscallEndBlocked, false, "proc.go exitsyscall0",                                         \
    "the G left its system call but no P was free: it goes to the global queue")               \
  /* Processors (Go's names) */                                                                  \
  X(ProcStart, false, "proc.go acquirep", "this M acquired P p")                                \
  X(ProcStop, false, "proc.go releasep", "this M released P p")                                 \
  X(ProcSteal, false, "proc.go retake",                                                          \
    "P pp was taken from M mp, which was stuck in a system call (not run-queue stealing)",       \
    GMPS_A("pp", P), GMPS_A("mp", M))                                                            \
  X(ProcsChange, false, "proc.go procresize", "the number of Ps changed to procs",              \
    GMPS_A("procs", Int))                                                                        \
  X(STWBegin, false, "proc.go stopTheWorld", "every P is stopped")                              \
  X(STWEnd, false, "proc.go startTheWorld", "the Ps run again")                                 \
  /* Run queues (beyond Go) */                                                                   \
  X(RunqPut, true, "proc.go runqput",                                                            \
    "gp was queued: in runnext, at the tail of P p's local queue, or on the global queue; "      \
    "kicked is the G it pushed out of runnext",                                                  \
    GMPS_A("gp", G), GMPS_E("where", RunqWhere), GMPS_A("kicked", G))                           \
  X(RunqPutSlow, true, "proc.go runqputslow",                                                    \
    "P p's local queue was full: its first half plus the new G (last) moved to the global queue", \
    GMPS_A("gs", GList))                                                                         \
  X(RunqGet, true, "proc.go findRunnable",                                                       \
    "the scheduler picked gp; src names the branch of findRunnable that found it; batch lists "  \
    "the Gs moved from the global queue to P p's local queue with it",                           \
    GMPS_A("gp", G), GMPS_E("src", RunqSrc), GMPS_A("batch", GList))                            \
  X(RunqSteal, true, "proc.go runqsteal",                                                        \
    "P p stole gs from victim P's queue (half, rounded up; runnext=1 if it took runnext); the "  \
    "last one runs now, the rest go to p's local queue",                                         \
    GMPS_A("victim", P), GMPS_A("gs", GList), GMPS_A("runnext", Int))                           \
  /* Ms (beyond Go) */                                                                           \
  X(MStart, true, "proc.go mstart1", "a new OS thread (M) started; parent is the M that made it", \
    GMPS_A("parent", M))                                                                         \
  X(MSpinStart, true, "proc.go findRunnable", "the M has no work and spins looking for some")   \
  X(MSpinStop, true, "proc.go resetspinning", "the M stopped spinning")                         \
  X(MPark, true, "proc.go stopm", "the M found no work and sleeps on its note")                 \
  X(MUnpark, true, "proc.go startm", "this M woke sleeping M mp, handing it P pp",              \
    GMPS_A("mp", M), GMPS_A("pp", P))                                                            \
  X(HandoffP, true, "proc.go handoffp", "P pp was handed off: to another M, or put idle",      \
    GMPS_A("pp", P))                                                                             \
  X(Wakep, true, "proc.go wakep",                                                                \
    "there was an idle P and nobody spinning: this M starts a spinning M")                      \
  /* sysmon (beyond Go) */                                                                       \
  X(SysmonTick, true, "proc.go sysmon", "sysmon woke; sleep is how long it had slept",         \
    GMPS_A("sleep", Dur))                                                                        \
  X(SysmonPreempt, true, "proc.go preemptone",                                                   \
    "sysmon asked G gp on P pp to stop: it had run for ran ns (async=1: by signal)",             \
    GMPS_A("gp", G), GMPS_A("pp", P), GMPS_A("ran", Dur), GMPS_A("async", Int))                 \
  X(SysmonRetake, true, "proc.go retake",                                                        \
    "sysmon took P pp back from M mp in a system call; syscall ns since sysmon first saw it",    \
    GMPS_A("pp", P), GMPS_A("mp", M), GMPS_A("syscall", Dur))                                   \
  /* Startup (beyond Go) */                                                                      \
  X(Startup, true, "asm_amd64.s rt0_go",                                                         \
    "a step of the runtime's startup sequence; value and name depend on the step",              \
    GMPS_E("step", StartupStep), GMPS_A("value", Int), GMPS_A("name", Str))

enum class Ev : uint8_t {
#define GMPS_X_ENUM(name, ...) name,
  GMPS_EVENT_TABLE(GMPS_X_ENUM)
#undef GMPS_X_ENUM
      Count
};

inline constexpr int kNumEvents = static_cast<int>(Ev::Count);

namespace detail {
template <typename... A>
constexpr EventDef makeDef(const char* name, bool beyond, const char* go, const char* sum,
                           A... args) {
  return EventDef{name, go, sum, beyond, {args...}, static_cast<int>(sizeof...(A))};
}
}  // namespace detail

inline constexpr EventDef kEventDefs[] = {
#define GMPS_X_DEF(name, beyond, go, sum, ...) \
  detail::makeDef(#name, beyond, go, sum __VA_OPT__(, ) __VA_ARGS__),
    GMPS_EVENT_TABLE(GMPS_X_DEF)
#undef GMPS_X_DEF
};
static_assert(sizeof(kEventDefs) / sizeof(kEventDefs[0]) == kNumEvents);

constexpr const EventDef& eventDef(Ev e) { return kEventDefs[static_cast<int>(e)]; }
constexpr const char* eventName(Ev e) { return eventDef(e).name; }

// argIndex returns the position of the argument called name in e's row, or -1.
constexpr int argIndex(Ev e, std::string_view name) {
  const EventDef& d = eventDef(e);
  for (int i = 0; i < d.nargs; i++)
    if (name == d.args[i].name) return i;
  return -1;
}

std::optional<Ev> eventByName(std::string_view name);

// ---------------------------------------------------------------------------
// Enum argument tables. Each value's string is what the trace file holds.

// Why a running G stopped but stayed runnable (Go: traceGoStop reasons).
enum class StopReason : uint8_t { Gosched, Preempted, Count };
inline constexpr const char* kStopReasonNames[] = {"Gosched", "preempted"};

// Why a G parked. Strings are Go's waitReason strings (runtime2.go waitReasonStrings).
enum class BlockReason : uint8_t {
  ChanSend,
  ChanRecv,
  Select,
  SelectNoCases,
  ChanSendNil,
  ChanRecvNil,
  Mutex,
  WaitGroup,
  Sleep,
  NetPoll,
  Count
};
inline constexpr const char* kBlockReasonNames[] = {
    "chan send",          "chan receive",         "select",
    "select (no cases)",  "chan send (nil chan)", "chan receive (nil chan)",
    "sync.Mutex.Lock",    "sync.WaitGroup.Wait",  "sleep",
    "IO wait"};

// Where runqput put a G.
enum class RunqWhere : uint8_t { Runnext, Local, Global, Count };
inline constexpr const char* kRunqWhereNames[] = {"runnext", "local", "global"};

// Which branch of findRunnable (or schedule) found the G to run.
enum class RunqSrc : uint8_t {
  Runnext,     // runqget took pp.runnext (inherits the time slice)
  Local,       // runqget took the head of the local queue
  GlobalFair,  // the 1-in-61 schedtick check of the global queue
  Global,      // globrunqget batch after the local queue was empty
  Steal,       // stealWork from another P
  Netpoll,     // the network poller readied it
  Count
};
inline constexpr const char* kRunqSrcNames[] = {"runnext", "local",  "global_fair",
                                                "global",  "steal", "netpoll"};

// The steps of the startup sequence, in order (see GO-FACTS.md "Startup").
enum class StartupStep : uint8_t {
  Rt0Go,
  Check,
  Args,
  Osinit,
  Schedinit,
  Newproc,
  Mstart,
  RuntimeMain,
  Sysmon,
  RuntimeInit,
  Gcenable,
  MainInit,
  MainMain,
  Exit,
  Count
};
inline constexpr const char* kStartupStepNames[] = {
    "rt0_go",       "check",  "args",         "osinit",   "schedinit", "newproc",   "mstart",
    "runtime.main", "sysmon", "runtime_init", "gcenable", "main_init", "main_main", "exit"};

// enumNames returns the string table of an enum kind and its size.
struct EnumTable {
  const char* const* names;
  int count;
};
constexpr EnumTable enumTable(EnumKind k) {
  switch (k) {
    case EnumKind::StopReason: return {kStopReasonNames, int(StopReason::Count)};
    case EnumKind::BlockReason: return {kBlockReasonNames, int(BlockReason::Count)};
    case EnumKind::RunqWhere: return {kRunqWhereNames, int(RunqWhere::Count)};
    case EnumKind::RunqSrc: return {kRunqSrcNames, int(RunqSrc::Count)};
    case EnumKind::StartupStep: return {kStartupStepNames, int(StartupStep::Count)};
    case EnumKind::None: break;
  }
  return {nullptr, 0};
}
static_assert(sizeof(kBlockReasonNames) / sizeof(char*) == int(BlockReason::Count));
static_assert(sizeof(kRunqSrcNames) / sizeof(char*) == int(RunqSrc::Count));
static_assert(sizeof(kStartupStepNames) / sizeof(char*) == int(StartupStep::Count));
// The recorder stores an Enum argument in one byte (putEnum).
static_assert(int(StopReason::Count) < 256 && int(BlockReason::Count) < 256 &&
              int(RunqWhere::Count) < 256 && int(RunqSrc::Count) < 256 &&
              int(StartupStep::Count) < 256);

// enumValue maps a string back to its index in k's table, or -1.
int enumValue(EnumKind k, std::string_view s);

inline constexpr const char* kFormatName = "gmpscope-trace";
inline constexpr int kFormatVersion = 1;

}  // namespace gmps::trace
