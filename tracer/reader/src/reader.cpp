// reader.cpp — loads a JSON Lines trace: maps the file, checks the header, splits the
// body by byte range over a few threads (each parses whole lines with its own
// LineParser into its own Tables), then stitches the parts together in order.
//
// Why threads and not a faster hand-written parser: nlohmann's SAX path is the
// project's one JSON parser and does ~1.5M lines/s per core; two cores bring a
// million-event trace well under the one-second budget.
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <exception>
#include <thread>

#include "gmpscope/tracer/reader.h"
#include "line_parser.h"

namespace gmps::trace {
namespace {

using detail::Tables;

// MappedFile maps a whole file read-only; MAP_POPULATE faults it in at once, which
// is far cheaper here than one page fault per 4 KB as the parser walks it.
class MappedFile {
 public:
  explicit MappedFile(const std::string& path) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
      error = std::strerror(errno);
      return;
    }
    struct stat st {};
    if (::fstat(fd, &st) != 0) {
      error = std::strerror(errno);
    } else if (S_ISDIR(st.st_mode)) {
      error = "is a directory";
    } else if (st.st_size > 0) {
      void* p = ::mmap(nullptr, size_t(st.st_size), PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
      if (p == MAP_FAILED) {
        error = std::strerror(errno);
      } else {
        data_ = static_cast<const char*>(p);
        size_ = size_t(st.st_size);
      }
    }
    ::close(fd);
  }
  ~MappedFile() {
    if (data_ != nullptr) ::munmap(const_cast<char*>(data_), size_);
  }
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;
  std::string_view text() const { return {data_ == nullptr ? "" : data_, size_}; }
  std::string error;

 private:
  const char* data_ = nullptr;
  size_t size_ = 0;
};

// Chunk is one thread's share of the body: lines [b, e) and what it made of them.
struct Chunk {
  const char* b = nullptr;
  const char* e = nullptr;
  Tables t;
  detail::LinesResult r;
};

// Shared between the parser threads: progress in bytes and the caller's ReadProgress.
struct ProgressShare {
  std::atomic<int64_t> done{0};  // relaxed: only drives a progress bar
  int64_t total = 1;
  const ReadOptions* opt = nullptr;
  // tick adds bytes and returns false once the caller asked to cancel.
  bool tick(int64_t bytes) {
    int64_t d = done.fetch_add(bytes, std::memory_order_relaxed) + bytes;
    if (opt->progress == nullptr) return true;
    opt->progress->fraction.store(float(double(d) / double(total)) * opt->progressScale,
                                  std::memory_order_relaxed);
    return !opt->progress->cancel.load(std::memory_order_relaxed);
  }
};

std::string timeOrderError(const Event& prev, const Event& e) {
  return std::string("event \"") + eventName(e.ev) + "\" has ts " + std::to_string(e.ts) +
         ", earlier than the event before it (" + std::to_string(prev.ts) +
         "): events must be in time order";
}

// parseChunk parses c's lines. Runs on its own thread; touches only c.
// reserve is how many events the chunk's vector should have room for: the first
// chunk's vector becomes the trace's, so it is sized for the whole body and the
// others are appended without a reallocation.
void parseChunk(Chunk& c, ProgressShare& prog, int64_t reserve) {
  c.t.events.reserve(size_t(reserve) + 16);
  c.r = detail::parseLines(c.t, c.b, c.e, [&](int64_t bytes) { return prog.tick(bytes); });
}

// splitBody cuts [b, e) into n chunks that each end just after a newline.
std::vector<Chunk> splitBody(const char* b, const char* e, int n) {
  std::vector<Chunk> cs(static_cast<size_t>(n));
  const char* start = b;
  for (int i = 0; i < n; i++) {
    const char* cut = i == n - 1 ? e : b + (e - b) * (i + 1) / n;
    if (cut < start) cut = start;
    if (i != n - 1 && cut < e) {
      const char* nl = static_cast<const char*>(std::memchr(cut, '\n', size_t(e - cut)));
      cut = nl != nullptr ? nl + 1 : e;
    }
    cs[size_t(i)].b = start;
    cs[size_t(i)].e = cut;
    start = cut;
  }
  return cs;
}

// parseHeader checks line 1 and fills h; returns an error message or "".
std::string parseHeader(std::string_view line, FileHeader& h) {
  using nlohmann::json;
  json j = json::parse(line.begin(), line.end(), nullptr, false);
  const char* want =
      "expected a header object with \"format\":\"gmpscope-trace\" (is this a gmpscope trace?)";
  if (j.is_discarded() || !j.is_object()) return std::string("bad header: ") + want;
  auto f = j.find("format");
  if (f == j.end() || !f->is_string() || f->get<std::string>() != kFormatName)
    return std::string("bad header: ") + want;
  auto v = j.find("version");
  if (v == j.end() || !v->is_number_integer())
    return "bad header: expected an integer \"version\"";
  h.version = v->get<int>();
  if (h.version < 1 || h.version > kFormatVersion)
    return "bad header: trace format version " + std::to_string(h.version) +
           ", this gmpscope reads version " + std::to_string(kFormatVersion);
  auto str = [&](const char* k, std::string& out) {
    auto it = j.find(k);
    if (it != j.end() && it->is_string()) out = it->get<std::string>();
  };
  auto num = [&](const char* k, auto& out) {
    auto it = j.find(k);
    if (it != j.end() && it->is_number_integer()) out = it->get<std::remove_reference_t<decltype(out)>>();
  };
  str("program", h.program);
  str("clock", h.clock);
  num("gomaxprocs", h.gomaxprocs);
  num("ncpu", h.ncpu);
  num("events", h.declaredEvents);
  return "";
}

// Stitcher appends each chunk's tables to the trace, rebasing the indices that
// point into side tables.
class Stitcher {
 public:
  explicit Stitcher(Trace& t) : t_(t) {}

  void append(Chunk& c, int64_t firstLine) {
    EventIndex base = EventIndex(t_.events.size());
    if (base == 0) {
      t_.events = std::move(c.t.events);
      t_.glists = std::move(c.t.glists);
      t_.strings = std::move(c.t.strings);
      t_.wide = std::move(c.t.wide);
      interned_ = std::move(c.t.interned);
    } else {
      rebase(c);
    }
    for (auto [j, k] : c.t.fixups) addFixup(base + j, firstLine + k);
  }

 private:
  void rebase(Chunk& c) {
    int32_t glBase = int32_t(t_.glists.size()), wideBase = int32_t(t_.wide.size());
    std::vector<int32_t> strMap(c.t.strings.size());
    for (size_t i = 0; i < strMap.size(); i++) {
      auto [it, fresh] = interned_.try_emplace(c.t.strings[i], int32_t(t_.strings.size()));
      if (fresh) t_.strings.push_back(c.t.strings[i]);
      strMap[i] = it->second;
    }
    t_.glists.insert(t_.glists.end(), c.t.glists.begin(), c.t.glists.end());
    t_.wide.insert(t_.wide.end(), c.t.wide.begin(), c.t.wide.end());
    t_.events.reserve(t_.events.size() + c.t.events.size());
    for (Event e : c.t.events) {
      const EventDef& d = eventDef(e.ev);
      for (int i = 0; i < d.nargs; i++) {
        ArgKind k = d.args[i].kind;
        if (k == ArgKind::Str) e.args[i] = strMap[size_t(e.args[i])];
        if (k == ArgKind::GList) e.args[i] += glBase;
        if ((e.wide >> i) & 1) e.args[i] += wideBase;
      }
      t_.events.push_back(e);
    }
    std::vector<Event>().swap(c.t.events);
  }

  void addFixup(EventIndex i, int64_t line) {
    int64_t shift = line - i;
    if (shift == last_) return;
    last_ = shift;
    t_.lineFixups.emplace_back(i, line);
  }

  Trace& t_;
  std::unordered_map<std::string, int32_t> interned_;
  int64_t last_ = 2;  // event i is on line i + 2 unless a fixup says otherwise
};

std::string at(const std::string& name, int64_t line, const std::string& msg) {
  return name + ":" + std::to_string(line) + ": " + msg;
}

ReadResult readBody(std::string_view text, const std::string& name, const ReadOptions& opt) {
  ReadResult r;
  if (text.empty()) {
    r.error = name + ": empty file, expected a gmpscope trace header on line 1";
    return r;
  }
  size_t nl = text.find('\n');
  std::string_view first = text.substr(0, nl);
  if (!first.empty() && first.back() == '\r') first.remove_suffix(1);
  Trace t;
  t.name = name;
  if (std::string err = parseHeader(first, t.header); !err.empty()) {
    r.error = at(name, 1, err);
    return r;
  }
  const char* b = nl == std::string_view::npos ? text.end() : text.data() + nl + 1;
  const char* e = text.data() + text.size();
  int n = std::max(1, std::min(opt.threads, int((e - b) / (256 << 10)) + 1));
  std::vector<Chunk> chunks = splitBody(b, e, n);
  ProgressShare prog;
  prog.total = std::max<int64_t>(1, e - b);
  prog.opt = &opt;
  {
    std::vector<std::thread> workers;
    // Lines average 60-75 bytes; the header's event count, when it has one, is exact
    // (bounded by what the bytes could hold, in case it lies).
    int64_t all = (e - b) / 60;
    if (t.header.declaredEvents > 0) all = std::min(t.header.declaredEvents, (e - b) / 16 + 1);
    for (int i = 1; i < n; i++) {
      Chunk& c = chunks[size_t(i)];
      workers.emplace_back(parseChunk, std::ref(c), std::ref(prog), (c.e - c.b) / 60);
    }
    parseChunk(chunks[0], prog, all);
    for (auto& w : workers) w.join();
  }
  Stitcher st(t);
  int64_t line = 2;
  for (Chunk& c : chunks) {
    if (c.r.cancelled) {
      r.error = name + ": cancelled";
      return r;
    }
    if (c.r.errLine >= 0) {
      r.error = at(name, line + c.r.errLine, c.r.err);
      return r;
    }
    auto& fx = c.t.fixups;
    if (!c.t.events.empty() && !t.events.empty() && c.t.events.front().ts < t.events.back().ts) {
      int64_t firstLine = line + (fx.empty() || fx[0].first != 0 ? 0 : fx[0].second);
      r.error = at(name, firstLine, timeOrderError(t.events.back(), c.t.events.front()));
      return r;
    }
    st.append(c, line);
    if (c.r.truncated) {
      r.truncated = true;
      r.warnings.push_back(at(name, line + c.r.lines,
                              "the file is cut short: its last line is incomplete and was "
                              "dropped; loaded the " + std::to_string(t.events.size()) +
                              " events before it"));
    }
    line += c.r.lines;
  }
  if (!r.truncated && t.header.declaredEvents >= 0 &&
      t.header.declaredEvents != int64_t(t.events.size()))
    r.warnings.push_back(name + ": the header says " + std::to_string(t.header.declaredEvents) +
                         " events but the file holds " + std::to_string(t.events.size()));
  if (opt.progress != nullptr)
    opt.progress->fraction.store(opt.progressScale, std::memory_order_relaxed);
  r.trace.emplace(std::move(t));
  return r;
}

}  // namespace

ReadResult readTraceText(std::string_view text, const std::string& name, const ReadOptions& opt) {
  try {
    return readBody(text, name, opt);
  } catch (const std::exception& ex) {  // bad_alloc, thread creation: never past the API
    ReadResult r;
    r.error = name + ": cannot load: " + ex.what();
    return r;
  }
}

ReadResult readTrace(const std::string& path, const ReadOptions& opt) {
  try {
    MappedFile f(path);
    if (!f.error.empty()) {
      ReadResult r;
      r.error = path + ": cannot read: " + f.error;
      return r;
    }
    return readTraceText(f.text(), path, opt);
  } catch (const std::exception& ex) {
    ReadResult r;
    r.error = path + ": cannot load: " + ex.what();
    return r;
  }
}

}  // namespace gmps::trace
