// writer.cpp — turns the recorded chunks into a JSON Lines trace file.
//
// Records from all Ms are merged by timestamp (one M's events keep their program
// order), ticks are converted to nanoseconds since start(), and each record
// becomes one JSON object named and shaped by its row in events.h. The file is
// written to PATH.tmp and renamed, so a failed write never leaves a half file at PATH.
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>
#include <algorithm>
#include <charconv>
#include <unistd.h>

#include "gmpscope/tracer/recorder.h"
#include "session.h"

namespace gmps::trace {
namespace {

class Out {
 public:
  explicit Out(FILE* f) : f_(f) { buf_.reserve(1 << 20); }
  ~Out() { flush(); }
  void raw(std::string_view s) {
    buf_.append(s);
    if (buf_.size() > (1 << 20) - 4096) flush();
  }
  void num(int64_t v) {
    char tmp[24];
    auto r = std::to_chars(tmp, tmp + sizeof tmp, v);
    buf_.append(tmp, size_t(r.ptr - tmp));
  }
  void str(const char* s) { raw(nlohmann::json(s ? s : "").dump()); }
  void key(const char* k) {
    buf_.push_back(',');
    buf_.push_back('"');
    buf_.append(k);
    buf_.append("\":");
  }
  void flush() {
    if (!buf_.empty() && std::fwrite(buf_.data(), 1, buf_.size(), f_) != buf_.size()) failed = true;
    buf_.clear();
  }
  bool failed = false;

 private:
  FILE* f_;
  std::string buf_;
};

void writeEvent(Out& o, const EventRef& e, int64_t m, double nsPerTick, uint64_t t0) {
  const EventDef& d = eventDef(e.ev);
  const int64_t g = e.g;
  uint64_t dt = e.ts > t0 ? e.ts - t0 : 0;
  o.raw("{\"ev\":\"");
  o.raw(d.name);
  o.raw("\"");
  o.key("ts");
  o.num(int64_t(double(dt) * nsPerTick));
  o.key("m");
  o.num(m);
  o.key("p");
  o.num(e.p);
  o.key("g");
  o.num(g);
  for (int i = 0; i < d.nargs; i++) {
    const ArgDef& arg = d.args[size_t(i)];
    o.key(arg.name);
    if (arg.kind == ArgKind::GList) {
      const uint64_t n = uint64_t(e.args[i]);
      const uint8_t* ids = e.list;
      o.raw("[");
      for (uint64_t k = 0; k < n; k++) {
        if (k) o.raw(",");
        o.num(getId(ids));
      }
      o.raw("]");
      continue;
    }
    const int64_t v = e.args[i];
    switch (arg.kind) {
      case ArgKind::Enum: {
        EnumTable t = enumTable(arg.enumKind);
        o.raw("\"");
        o.raw(v >= 0 && v < t.count ? t.names[v] : "?");
        o.raw("\"");
        break;
      }
      case ArgKind::Str: o.str(reinterpret_cast<const char*>(v)); break;
      default: o.num(v); break;
    }
  }
  o.raw("}\n");
}

// Merge yields every event of the session in time order. Each chunk's events are
// already in time order (a record never goes back in time, see
// Recorder::startRecord), so it merges the chunks through a heap of one cursor per
// chunk, ties going to the chunk handed over first: the order a stable sort by time
// of all events, chunk after chunk, would give, without holding them all.
class Merge {
 public:
  explicit Merge(Session& s) {
    uint32_t seq = 0;
    for (Chunk* c = s.head; c != nullptr; c = c->next, seq++) {
      Cursor cur{EventIter(c->bytes, c->fill), {}, c->mid, seq};
      if (cur.it.next(cur.e)) cursors_.push_back(cur);
    }
    // The heap holds indices: a cursor (its iterator and two decoded events) is too
    // big to move at every step.
    for (uint32_t i = 0; i < cursors_.size(); i++) heap_.push_back(i);
    std::make_heap(heap_.begin(), heap_.end(), Later{cursors_});
  }
  // next yields the earliest event left and its M; false when none is.
  bool next(EventRef& e, int64_t& m) {
    if (heap_.empty()) return false;
    std::pop_heap(heap_.begin(), heap_.end(), Later{cursors_});
    Cursor& cur = cursors_[heap_.back()];
    e = cur.e;
    m = cur.m;
    if (cur.it.next(cur.e))
      std::push_heap(heap_.begin(), heap_.end(), Later{cursors_});
    else
      heap_.pop_back();
    return true;
  }

 private:
  struct Cursor {
    EventIter it;
    EventRef e;  // its next event
    int64_t m;
    uint32_t seq;  // the chunk's place on the session's list
  };
  struct Later {
    const std::vector<Cursor>& c;
    bool operator()(uint32_t a, uint32_t b) const {
      const Cursor& x = c[a];
      const Cursor& y = c[b];
      return x.e.ts != y.e.ts ? x.e.ts > y.e.ts : x.seq > y.seq;
    }
  };
  std::vector<Cursor> cursors_;
  std::vector<uint32_t> heap_;
};

}  // namespace

std::string writeJSONL(const char* path, const TraceHeader& h) {
  Session& s = session();
  std::lock_guard<std::mutex> lk(s.mu);
  uint64_t endTicks = ticks();
  int64_t endNs = monoNs();
  double nsPerTick = endTicks > s.startTicks
                         ? double(endNs - s.startNs) / double(endTicks - s.startTicks)
                         : 1.0;

  std::string tmp = std::string(path) + ".tmp";
  FILE* f = std::fopen(tmp.c_str(), "w");
  if (f == nullptr) return std::string(path) + ": cannot write trace: " + std::strerror(errno);
  bool failed;
  {
    Out o(f);
    nlohmann::ordered_json hdr;
    hdr["format"] = kFormatName;
    hdr["version"] = kFormatVersion;
    hdr["program"] = h.program;
    hdr["gomaxprocs"] = h.gomaxprocs;
    hdr["ncpu"] = h.ncpu;
    hdr["clock"] = "ns since trace start (TSC, calibrated against CLOCK_MONOTONIC)";
    hdr["events"] = countEvents(s);
    o.raw(hdr.dump());
    o.raw("\n");
    Merge merge(s);
    EventRef e;
    int64_t m;
    while (merge.next(e, m)) writeEvent(o, e, m, nsPerTick, s.startTicks);
    o.flush();
    failed = o.failed;
  }
  if (std::fclose(f) != 0) failed = true;
  if (failed || std::rename(tmp.c_str(), path) != 0) {
    std::string err = std::string(path) + ": cannot write trace: " + std::strerror(errno);
    ::unlink(tmp.c_str());
    return err;
  }
  return "";
}

}  // namespace gmps::trace
