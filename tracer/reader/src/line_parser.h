// line_parser.h — turns JSON Lines events into compact Events (reader-internal).
//
// EventParser is a SAX handler for nlohmann::json: the callbacks only note each
// top-level field's value in a slot; finish() then checks the fields against the
// event's row in events.h and packs them. Nothing is allocated per line once the
// slots have warmed up.
//
// parseLines drives it in two gears. The fast gear hands nlohmann a whole run of
// lines at once, dressed up as one JSON array (an input adapter turns each newline
// into a comma), so the parser and its buffers are built once per run instead of once
// per line — per-line construction cost as much as the lexing itself. When the fast
// gear stops (a blank line, a broken line, two objects on one line, the end), the
// slow gear parses that single line on its own, which yields the exact error for it,
// and the fast gear resumes after it.
#pragma once

#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "gmpscope/tracer/reader.h"

namespace gmps::trace::detail {

// Tables is where one parser thread puts its events and their side tables; the
// reader concatenates the threads' Tables afterwards.
struct Tables {
  std::vector<Event> events;
  std::vector<int32_t> glists;
  std::vector<std::string> strings;
  std::vector<int64_t> wide;
  std::unordered_map<std::string, int32_t> interned;
  // (local event index, local line index) wherever blank lines broke the rule
  // "event j is on local line j".
  std::vector<std::pair<EventIndex, int64_t>> fixups;
  int32_t intern(const std::string& s);
};

// Slot holds the value of one top-level field of the event being parsed.
struct Slot {
  enum Type : uint8_t { Missing, Int, Float, String, Bool, Null, Array, Object };
  Type type = Missing;
  bool tooBig = false;  // an unsigned integer above INT64_MAX
  int64_t i = 0;
  std::string s;
  std::vector<int64_t> list;  // Array: the integer elements
  Type badElem = Missing;     // Array: type of the first non-integer element
  void reset() {
    type = Missing;
    tooBig = false;
    badElem = Missing;
  }
};

// LineCursor is shared by the fast gear's input adapter and the handler: which line
// the adapter is reading and where that line starts.
struct LineCursor {
  int64_t line = 0;             // index, within the run, of the line being read
  const char* start = nullptr;  // where that line starts
  int64_t* seen = nullptr;      // lines read by every run so far (drives the tick)
};

// Tick reports progress (bytes consumed since the last call); false means cancel.
using Tick = std::function<bool(int64_t bytes)>;

class EventParser {
 public:
  using json = nlohmann::json;
  explicit EventParser(Tables& out) : out_(out) {}

  // parseLine parses one line [b, e). On success it appends one Event and returns
  // true; otherwise error() says what was wrong (without the FILE:LINE prefix) and
  // syntaxError() tells malformed JSON text from a well-formed but wrong event.
  bool parseLine(const char* b, const char* e);

  // parseRun parses the lines [b, e) as one run (the fast gear) and returns the
  // number of lines whose events it appended: the run's first lines, in order, one
  // event each. resume is set to the start of the first line not taken (e if all
  // were). tick(bytes) is called every 16K lines counted in seen (which spans runs);
  // returning false cancels the run.
  int64_t parseRun(const char* b, const char* e, const Tick& tick, const char*& resume,
                   int64_t& seen);

  const std::string& error() const { return err_; }
  bool syntaxError() const { return syntax_; }

  // nlohmann::json SAX interface.
  bool null() { return scalar(Slot::Null); }
  bool boolean(bool) { return scalar(Slot::Bool); }
  bool number_integer(json::number_integer_t v) { return integer(v, false); }
  bool number_unsigned(json::number_unsigned_t v) {
    return integer(int64_t(v), v > uint64_t(INT64_MAX));
  }
  bool number_float(json::number_float_t, const json::string_t&) { return scalar(Slot::Float); }
  bool string(json::string_t& v);
  bool binary(json::binary_t&) { return scalar(Slot::Object); }
  bool start_object(std::size_t);
  bool key(json::string_t& k);
  bool end_object();
  bool start_array(std::size_t);
  bool end_array();
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception& ex);

 private:
  static constexpr int kFixed = 5;  // ev, ts, m, p, g
  static constexpr int kExtra = 8;  // named argument slots per event; more are ignored

  void resetEvent();
  bool scalar(Slot::Type t);
  bool integer(int64_t v, bool tooBig);
  bool notObject(const char* what);
  bool finish();
  bool fail(std::string msg);
  Slot* findArg(std::string_view name);
  bool packArg(Event& e, const EventDef& d, int i, Slot& s);
  bool packId(const char* field, const Slot& s, const EventDef& d, int32_t& out);
  void commitPending();

  Tables& out_;
  Slot fixed_[kFixed];
  Slot extra_[kExtra];
  std::string extraName_[kExtra];
  int nextra_ = 0;
  Slot ignored_;
  Slot* cur_ = nullptr;
  int depth_ = 0;
  int top_ = 0;  // depth of an event object's parent: 0 for a line, 1 inside a run
  bool done_ = false;
  bool syntax_ = false;
  std::string err_;

  // Fast gear: the event appended last is only committed once its line's newline
  // has been read, because until then its line may still turn out broken.
  const LineCursor* cursor_ = nullptr;
  bool pending_ = false;
  int64_t pendingLine_ = -1;
  const char* pendingStart_ = nullptr;
  const char* lastStart_ = nullptr;  // start of the last committed line
  int64_t committed_ = 0;
};

// parseLines parses lines [b, e) of a chunk into out. It returns the number of lines
// consumed. On a bad line it sets errLine (its local index) and err. A last line
// without a newline that is not valid JSON sets truncated instead (a file cut short).
struct LinesResult {
  int64_t lines = 0;
  int64_t errLine = -1;
  std::string err;
  bool truncated = false;
  bool cancelled = false;
};
LinesResult parseLines(Tables& out, const char* b, const char* e, const Tick& tick);

// lookupEvent maps an event name to its row, by way of a hash table built once from
// events.h.
std::optional<Ev> lookupEvent(std::string_view name);

}  // namespace gmps::trace::detail
