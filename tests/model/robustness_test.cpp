// Bad input must give an error value or a best-effort model, never a crash: load,
// check, seek and summarise thousands of randomly damaged copies of a valid trace
// (under AddressSanitizer in `make test`, this is a small fuzzer).
#include <gtest/gtest.h>

#include <cstdio>
#include <random>

#include "gmpscope/model/trace_model.h"
#include "test_util.h"

using namespace gmps::model;

namespace {

// damage returns text with one random edit: a byte changed, deleted or inserted
// (mostly reader errors), a number replaced by a small id or an extreme value, or a
// whole line deleted or repeated (well-formed traces with broken schedules).
std::string damage(std::string text, std::mt19937_64& rng) {
  static const char* kNumbers[] = {"-1", "0", "1", "2", "3", "4", "5", "6", "-1", "0", "1", "2",
                                   "2147483647", "4294967296", "1e9", "-7"};
  size_t at = 40 + rng() % (text.size() - 40);  // keep the header mostly intact
  size_t a = text.rfind('\n', at), b = text.find('\n', at);
  switch (rng() % 20) {
    case 0: text[at] = char(32 + rng() % 95); break;
    case 1: text.erase(at, 1 + rng() % 8); break;
    case 2: text.insert(at, text.substr(at, 1 + rng() % 40)); break;
    case 3:
    case 4:
    case 5:
    case 6: {
      if (a == std::string::npos || b == std::string::npos) break;
      text.erase(a + 1, b - a);  // the whole line
      break;
    }
    case 7:
    case 8:
    case 9: {
      if (a == std::string::npos || b == std::string::npos) break;
      text.insert(b + 1, text.substr(a + 1, b - a));
      break;
    }
    default: {
      // A number that is not a timestamp, so the events stay in time order.
      size_t d = text.find_first_of("-0123456789", at);
      while (d != std::string::npos && text.compare(d > 5 ? d - 5 : 0, 5, "\"ts\":") == 0)
        d = text.find_first_of("-0123456789", text.find_first_not_of("-0123456789", d));
      if (d == std::string::npos) break;
      size_t e = text.find_first_not_of("-0123456789", d);
      text.replace(d, e - d, kNumbers[rng() % std::size(kNumbers)]);
      break;
    }
  }
  return text;
}

TEST(Robustness, DamagedTracesNeverCrash) {
  const std::string good = gmps::testing::readText(gmps::testing::dataPath("queues.jsonl"));
  std::mt19937_64 rng(20240601);
  int loaded = 0, broken = 0;
  for (int i = 0; i < 2000; i++) {
    std::string text = good;
    for (int k = 0, n = 1 + int(rng() % 2); k < n; k++) text = damage(text, rng);
    LoadResult r = loadTraceText(text, "d.jsonl");
    if (!r.ok()) {
      EXPECT_EQ(r.error.rfind("d.jsonl:", 0), 0u) << r.error;
      continue;
    }
    loaded++;
    const TraceModel& m = *r.model;
    broken += m.firstViolation().has_value();
    CheckResult c = checkTrace(m.trace());
    EXPECT_EQ(c.ok, !m.firstViolation().has_value());
    for (Ns t : {m.startTime(), (m.startTime() + m.endTime()) / 2, m.endTime()}) {
      SchedState s = m.stateAt(t);
      EXPECT_LE(s.next, EventIndex(m.events().size()));
    }
    EXPECT_FALSE(statsJson(m).empty());
  }
  // The damage must exercise both the reader's errors and the model's best effort.
  EXPECT_GT(loaded, 500);
  EXPECT_GT(broken, 300);
  std::printf("damaged traces: %d loaded, %d of them break the scheduler's rules\n", loaded, broken);
}

}  // namespace
