// writer.cpp — turns the recorded chunks into a JSON Lines trace file.
//
// Records from all Ms are merged by timestamp (stable, so one M's events keep their
// program order), ticks are converted to nanoseconds since start(), and each record
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

// Rec is one event to write: its time, M and P, and where its g and arguments are.
struct Rec {
  uint64_t ts;
  const uint8_t* fields;
  int32_t m;
  uint32_t pev;  // (p+1) << 8 | ev
};

// Fields reads an event's varint fields in order.
struct Fields {
  const uint8_t* f;
  uint64_t u() { return getVarint(f); }
  int64_t z() { return unzigzag(getVarint(f)); }
};

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

void writeRecord(Out& o, const Rec& rec, double nsPerTick, uint64_t t0) {
  const EventDef& d = eventDef(static_cast<Ev>(rec.pev & 0xff));
  const int64_t p = int64_t(rec.pev >> 8) - 1;
  Fields rd{rec.fields};
  const int64_t g = rd.z();
  uint64_t dt = rec.ts > t0 ? rec.ts - t0 : 0;
  o.raw("{\"ev\":\"");
  o.raw(d.name);
  o.raw("\"");
  o.key("ts");
  o.num(int64_t(double(dt) * nsPerTick));
  o.key("m");
  o.num(rec.m);
  o.key("p");
  o.num(p);
  o.key("g");
  o.num(g);
  for (int i = 0; i < d.nargs; i++) {
    const ArgDef& arg = d.args[size_t(i)];
    o.key(arg.name);
    if (arg.kind == ArgKind::GList) {
      const uint64_t n = rd.u();
      o.raw("[");
      for (uint64_t k = 0; k < n; k++) {
        if (k) o.raw(",");
        o.num(rd.z());
      }
      o.raw("]");
      continue;
    }
    const int64_t v = rd.z();
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

// collect orders every record by time. Each M's records keep the order it recorded
// them in (the recorder never lets a record go back in time, see
// Recorder::startRecord), and the sort is stable. An M's chunks are on the list in
// the order it handed them over; each chunk opens with a clock record.
std::vector<Rec> collect(Session& s) {
  std::vector<Rec> recs;
  recs.reserve(s.bytes / 5);
  for (Chunk* c = s.head; c != nullptr; c = c->next) {
    const int32_t m = int32_t(c->mid);
    forEachEvent(c->bytes, c->fill, [&](const EventRef& e) {
      recs.push_back(Rec{e.ts, e.fields, m, (uint32_t(e.p + 1) << 8) | uint32_t(e.ev)});
    });
  }
  std::stable_sort(recs.begin(), recs.end(),
                   [](const Rec& a, const Rec& b) { return a.ts < b.ts; });
  return recs;
}

}  // namespace

std::string writeJSONL(const char* path, const TraceHeader& h) {
  Session& s = session();
  std::lock_guard<std::mutex> lk(s.mu);
  uint64_t endTicks = ticks();
  int64_t endNs = monoNs();
  double nsPerTick = endTicks > s.startTicks
                         ? double(endNs - s.startNs) / double(endTicks - s.startTicks)
                         : 1.0;
  std::vector<Rec> recs = collect(s);

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
    hdr["events"] = recs.size();
    o.raw(hdr.dump());
    o.raw("\n");
    for (const Rec& r : recs) writeRecord(o, r, nsPerTick, s.startTicks);
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
