// reader.h — loads a JSON Lines trace (see DESIGN.md "Trace format") into memory.
//
// The file is parsed with nlohmann::json's SAX interface, one line at a time, split
// across threads by byte range; each line becomes one compact 40-byte Event whose
// shape comes from its row in events.h (nothing here spells an event name). Values
// that do not fit the compact form live in side tables of the Trace: GLists in one
// int32 arena, strings interned once, the rare integer wider than 32 bits in a list
// of its own. Nothing in this API throws: failures come back as an error message of
// the form `FILE:LINE: what was wrong`.
#pragma once

#include <atomic>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "gmpscope/tracer/events.h"

namespace gmps::trace {

using Ns = int64_t;          // nanoseconds since trace start
using EventIndex = int32_t;  // position of an event in Trace::events
inline constexpr EventIndex kNoEvent = -1;

// Event is one trace line. args follow the event's row in events.h: Int/G/P/M/Dur
// hold the value itself (or, when bit i of wide is set, an index into Trace::wide),
// Enum holds the index into its enum table, Str an index into Trace::strings, GList
// an offset into Trace::glists (read them with Trace::glist).
struct Event {
  Ns ts;
  int32_t g;  // the G running on the M; -1 = the M was on g0
  int32_t m;  // the M that recorded it
  int32_t p;  // the P that M held, -1 = none
  Ev ev;
  uint8_t wide;  // bit i: args[i] indexes Trace::wide
  uint16_t reserved;
  int32_t args[kMaxArgs];
};
static_assert(sizeof(Event) == 40);

// FileHeader is the trace's first line.
struct FileHeader {
  int version = 0;
  std::string program;
  int gomaxprocs = 0;
  int ncpu = 0;
  std::string clock;
  int64_t declaredEvents = -1;  // the header's "events" field, -1 when absent
};

struct Trace {
  std::string name;  // the path as given, used in messages
  FileHeader header;
  std::vector<Event> events;       // in file order, which is time order
  std::vector<int32_t> glists;     // each GList: its length, then its ids
  std::vector<std::string> strings;  // interned Str arguments
  std::vector<int64_t> wide;       // arguments that did not fit in int32
  // Lines that do not follow the "event i is on line i+2" rule (blank lines were
  // skipped before them): pairs of (first event index, line of that event).
  std::vector<std::pair<EventIndex, int64_t>> lineFixups;

  // arg returns argument i of e as an integer (Int/G/P/M/Dur/Enum kinds).
  int64_t arg(const Event& e, int i) const {
    return (e.wide >> i) & 1 ? wide[size_t(e.args[i])] : e.args[i];
  }
  // arg by name; the name must be in e's row (checked in debug builds).
  int64_t arg(const Event& e, std::string_view name) const;
  // glist returns the goroutine ids of GList argument i of e.
  std::span<const int32_t> glist(const Event& e, int i) const {
    const int32_t* p = glists.data() + e.args[i];
    return {p + 1, size_t(p[0])};
  }
  // str returns Str argument i of e.
  std::string_view str(const Event& e, int i) const { return strings[size_t(e.args[i])]; }
  // lineOf returns the 1-based file line of event i (the header is line 1).
  int64_t lineOf(EventIndex i) const;
  // formatEvent renders an event for people: `GoBlock g=7 m=1 p=0 reason="chan send"`.
  std::string formatEvent(EventIndex i) const;
};

// ReadProgress lets another thread watch and stop a load. Both fields may be
// touched from any thread (relaxed atomics: they carry no other data).
struct ReadProgress {
  std::atomic<float> fraction{0.f};  // 0..1 of the bytes parsed so far
  std::atomic<bool> cancel{false};   // set to stop the load; it fails with "cancelled"
};

struct ReadOptions {
  int threads = 2;                    // parser threads (the file is split by byte range)
  ReadProgress* progress = nullptr;   // optional
  float progressScale = 1.f;          // fraction reported when parsing is done
};

struct ReadResult {
  std::optional<Trace> trace;          // set on success
  std::string error;                   // `FILE:LINE: problem` when trace is empty
  std::vector<std::string> warnings;   // e.g. the file was cut short
  bool truncated = false;              // the last line was incomplete and dropped
  bool ok() const { return trace.has_value(); }
};

// readTrace loads the file at path. Never throws.
ReadResult readTrace(const std::string& path, const ReadOptions& opt = {});
// readTraceText parses a trace held in memory; name is used in messages.
ReadResult readTraceText(std::string_view text, const std::string& name,
                         const ReadOptions& opt = {});

}  // namespace gmps::trace
