// session.h — process-wide trace state shared by the recorder and the writer.
#pragma once

#include <time.h>

#include <cstdint>
#include <mutex>

#include "gmpscope/tracer/recorder.h"

namespace gmps::trace {

struct Session {
  std::mutex mu;  // guards the chunk list
  Chunk* head = nullptr;
  Chunk** tail = &head;
  uint64_t bytes = 0;  // bytes handed over
  uint64_t startTicks = 0;  // TSC and CLOCK_MONOTONIC at start(), for ns conversion
  int64_t startNs = 0;
};

Session& session();

// countEvents is the number of events in s's handed-over chunks; s.mu held.
uint64_t countEvents(const Session& s);

inline int64_t monoNs() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return int64_t(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

}  // namespace gmps::trace
