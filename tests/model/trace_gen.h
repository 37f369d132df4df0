// trace_gen.h — writes synthetic but valid gmpscope traces of any length.
//
// A small single-threaded simulation of the scheduler (Ps with their Ms, runnext,
// local and global queues, stealing, parking, syscalls, sysmon preemption, netpoll)
// that emits the events the real runtime would, in the writer's exact JSON Lines
// format. Every trace it writes passes `gmpscope check`; the model bench uses it for
// the million-event load, the tests use it as a property check of replay and seek.
#pragma once

#include <cstdint>
#include <string>

namespace gmps::testing {

struct GenOptions {
  int64_t events = 100000;  // at least this many events (a few more may follow)
  int procs = 4;
  uint64_t seed = 1;
  int targetLive = 400;  // goroutines the simulation tries to keep alive
  int localCap = 32;     // local queue size that triggers RunqPutSlow
};

// syntheticTrace returns the whole trace as text.
std::string syntheticTrace(const GenOptions& o);

// writeSyntheticTrace writes it to path; returns "" or a message.
std::string writeSyntheticTrace(const std::string& path, const GenOptions& o);

}  // namespace gmps::testing
