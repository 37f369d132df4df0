// line_parser.cpp — the SAX handler behind the JSON Lines reader.
#include "line_parser.h"

#include <climits>
#include <cstring>

namespace gmps::trace::detail {
namespace {

const char* typeName(Slot::Type t) {
  switch (t) {
    case Slot::Missing: return "nothing";
    case Slot::Int: return "an integer";
    case Slot::Float: return "a number with a fraction";
    case Slot::String: return "a string";
    case Slot::Bool: return "a boolean";
    case Slot::Null: return "null";
    case Slot::Array: return "an array";
    case Slot::Object: return "an object";
  }
  return "?";
}

std::string quote(std::string_view s) { return '"' + std::string(s) + '"'; }

std::string expectedEnum(EnumKind k) {
  EnumTable t = enumTable(k);
  std::string out;
  for (int i = 0; i < t.count; i++) {
    if (i) out += ", ";
    out += quote(t.names[i]);
  }
  return out;
}

// fixedName: the common fields, in the order of EventParser::fixed_.
constexpr const char* kFixedNames[] = {"ev", "ts", "m", "p", "g"};
enum { kEv, kTs, kM, kP, kG };

}  // namespace

int32_t Tables::intern(const std::string& s) {
  auto [it, fresh] = interned.try_emplace(s, int32_t(strings.size()));
  if (fresh) strings.push_back(s);
  return it->second;
}

std::optional<Ev> lookupEvent(std::string_view name) {
  static const std::unordered_map<std::string_view, Ev> byName = [] {
    std::unordered_map<std::string_view, Ev> m;
    for (int i = 0; i < kNumEvents; i++) m.emplace(kEventDefs[i].name, static_cast<Ev>(i));
    return m;
  }();
  auto it = byName.find(name);
  if (it == byName.end()) return std::nullopt;
  return it->second;
}

// RunAdapter feeds nlohmann's lexer the lines [b, e) dressed up as one JSON array:
// '[' first, each newline read as ',' (the last one as a space), ']' at the end.
class RunAdapter {
 public:
  using char_type = char;
  RunAdapter(const char* b, const char* e, LineCursor* cur, const Tick* tick)
      : p_(b), e_(e), last_(b), cur_(cur), tick_(tick) {}

  std::char_traits<char>::int_type get_character() {
    if (p_ < e_ && state_ == 1) [[likely]] {
      char c = *p_++;
      if (c != '\n') [[likely]]
        return std::char_traits<char>::to_int_type(c);
      return newline();
    }
    if (state_ < 2) return state_++ == 0 ? '[' : ']';
    return std::char_traits<char>::eof();
  }

 private:
  std::char_traits<char>::int_type newline() {
    cur_->line++;
    cur_->start = p_;
    if ((++*cur_->seen & 0x3fff) == 0) {
      bool go = (*tick_)(p_ - last_);
      last_ = p_;
      if (!go) {  // cancelled: end the input mid-array, which stops the parse
        p_ = e_;
        state_ = 2;
        return std::char_traits<char>::eof();
      }
    }
    return p_ == e_ ? ' ' : ',';
  }

  const char* p_;
  const char* e_;
  const char* last_;
  LineCursor* cur_;
  const Tick* tick_;
  int state_ = 0;  // 0: '[' not sent yet, 1: in the lines, 2: ']' sent
};

void EventParser::resetEvent() {
  for (Slot& s : fixed_) s.reset();
  for (int i = 0; i < nextra_; i++) extra_[i].reset();
  nextra_ = 0;
  cur_ = nullptr;
}

bool EventParser::parseLine(const char* b, const char* e) {
  resetEvent();
  depth_ = 0;
  top_ = 0;
  done_ = false;
  syntax_ = false;
  err_.clear();
  bool ok = json::sax_parse(b, e, this);
  if (ok && !done_) return fail("expected a JSON object");
  return ok && err_.empty();
}

int64_t EventParser::parseRun(const char* b, const char* e, const Tick& tick,
                              const char*& resume, int64_t& seen) {
  LineCursor cur{0, b, &seen};
  cursor_ = &cur;
  top_ = 1;
  depth_ = 0;
  pending_ = false;
  committed_ = 0;
  lastStart_ = nullptr;
  syntax_ = false;
  err_.clear();
  // The result does not matter: what was committed is what counts, and the line
  // that stopped the run gets its message from the slow gear.
  nlohmann::detail::parser<json, RunAdapter>(RunAdapter(b, e, &cur, &tick), nullptr, true, false)
      .sax_parse(this, true);
  // A pending event whose newline was read is sound; one still on the line where
  // the parse stopped is not (trailing garbage, a second object): take it back.
  if (pending_ && cur.line > pendingLine_) commitPending();
  if (pending_) out_.events.pop_back();
  pending_ = false;
  cursor_ = nullptr;
  top_ = 0;
  if (committed_ == 0) {
    resume = b;
  } else {
    const char* nl = static_cast<const char*>(std::memchr(lastStart_, '\n', size_t(e - lastStart_)));
    resume = nl != nullptr ? nl + 1 : e;
  }
  return committed_;
}

void EventParser::commitPending() {
  pending_ = false;
  lastStart_ = pendingStart_;
  committed_++;
}

bool EventParser::fail(std::string msg) {
  if (err_.empty()) err_ = std::move(msg);
  return false;
}

bool EventParser::notObject(const char* what) {
  return fail(std::string("expected a JSON object, found ") + what);
}

bool EventParser::parse_error(std::size_t, const std::string&,
                              const nlohmann::detail::exception& ex) {
  // nlohmann's text is "[json.exception.parse_error.101] parse error at line 1,
  // column 7: syntax error while parsing ..."; keep only what helps a person.
  std::string_view what = ex.what();
  size_t col = what.find("column ");
  if (col != std::string_view::npos) what.remove_prefix(col);
  syntax_ = true;
  return fail("invalid JSON at " + std::string(what));
}

// Depths below are relative to top_: 0 is where an event object sits, 1 its fields,
// 2 the elements of an array field.

bool EventParser::scalar(Slot::Type t) {
  int rel = depth_ - top_;
  if (rel <= 0) return notObject(typeName(t));
  if (cur_ == nullptr) return true;
  if (rel == 1) {
    cur_->type = t;
    return true;
  }
  if (rel == 2 && cur_->type == Slot::Array && cur_->badElem == Slot::Missing) cur_->badElem = t;
  return true;
}

bool EventParser::integer(int64_t v, bool tooBig) {
  int rel = depth_ - top_;
  if (rel <= 0) return notObject("a number");
  if (cur_ == nullptr) return true;
  if (rel == 1) {
    cur_->type = Slot::Int;
    cur_->i = v;
    cur_->tooBig = tooBig;
    return true;
  }
  if (rel == 2 && cur_->type == Slot::Array) {
    if (tooBig && cur_->badElem == Slot::Missing) cur_->badElem = Slot::Float;
    cur_->list.push_back(v);
  }
  return true;
}

bool EventParser::string(json::string_t& v) {
  if (depth_ - top_ == 1 && cur_ != nullptr) cur_->s.assign(v);
  return scalar(Slot::String);
}

bool EventParser::start_object(std::size_t) {
  int rel = depth_ - top_;
  depth_++;
  if (rel == 0) {
    if (cursor_ != nullptr) {  // fast gear: one event per line, lines consecutive
      if (pending_ && cursor_->line > pendingLine_) commitPending();
      if (pending_ || cursor_->line != committed_) return fail("expected one event per line");
      pendingLine_ = cursor_->line;
      pendingStart_ = cursor_->start;
    }
    resetEvent();
    return true;
  }
  if (rel == 1 && cur_ != nullptr) cur_->type = Slot::Object;
  if (rel == 2 && cur_ != nullptr && cur_->badElem == Slot::Missing) cur_->badElem = Slot::Object;
  return true;
}

bool EventParser::start_array(std::size_t) {
  if (depth_ == 0 && top_ == 1) {  // the run itself
    depth_++;
    return true;
  }
  int rel = depth_ - top_;
  if (rel <= 0) return notObject("an array");
  if (rel == 1 && cur_ != nullptr) {
    cur_->type = Slot::Array;
    cur_->list.clear();
  }
  if (rel == 2 && cur_ != nullptr && cur_->badElem == Slot::Missing) cur_->badElem = Slot::Array;
  depth_++;
  return true;
}

bool EventParser::end_array() {
  depth_--;
  return true;
}

bool EventParser::key(json::string_t& k) {
  if (depth_ - top_ != 1) return true;  // keys of nested objects do not matter
  switch (k.size()) {  // the common fields, without a string compare each
    case 1:
      if (k[0] == 'm') cur_ = &fixed_[kM];
      else if (k[0] == 'p') cur_ = &fixed_[kP];
      else if (k[0] == 'g') cur_ = &fixed_[kG];
      else break;
      return true;
    case 2:
      if (k[0] == 'e' && k[1] == 'v') cur_ = &fixed_[kEv];
      else if (k[0] == 't' && k[1] == 's') cur_ = &fixed_[kTs];
      else break;
      return true;
  }
  for (int i = 0; i < nextra_; i++)
    if (k == extraName_[i]) {  // a repeated key: the last value wins, as in json::parse
      cur_ = &extra_[i];
      return true;
    }
  if (nextra_ == kExtra) {  // more fields than any event has: they cannot be arguments
    cur_ = &ignored_;
    return true;
  }
  extraName_[nextra_].assign(k);
  cur_ = &extra_[nextra_++];
  return true;
}

bool EventParser::end_object() {
  if (--depth_ != top_) return true;
  done_ = true;
  if (!finish()) return false;
  if (cursor_ != nullptr) pending_ = true;
  return true;
}

Slot* EventParser::findArg(std::string_view name) {
  for (int i = 0; i < nextra_; i++)
    if (extraName_[i] == name) return &extra_[i];
  return nullptr;
}

// packId checks an M, P or G id: -1 (none) up to INT32_MAX.
bool EventParser::packId(const char* field, const Slot& s, const EventDef& d, int32_t& out) {
  if (s.type != Slot::Int)
    return fail("event " + quote(d.name) + ": " + quote(field) + " should be an integer id, found " +
                typeName(s.type));
  if (s.tooBig || s.i < -1 || s.i > INT32_MAX)
    return fail("event " + quote(d.name) + ": " + quote(field) + " is " +
                std::to_string(s.i) + ", not an id (-1 or 0.." + std::to_string(INT32_MAX) + ")");
  out = int32_t(s.i);
  return true;
}

bool EventParser::packArg(Event& e, const EventDef& d, int i, Slot& s) {
  const ArgDef& a = d.args[i];
  // Built only on failure: this runs for every argument of every line.
  auto where = [&] { return "event " + quote(d.name) + ": argument " + quote(a.name); };
  switch (a.kind) {
    case ArgKind::G:
    case ArgKind::P:
    case ArgKind::M: return packId(a.name, s, d, e.args[i]);
    case ArgKind::Int:
    case ArgKind::Dur:
      if (s.type != Slot::Int || s.tooBig)
        return fail(where() + " should be an integer, found " + typeName(s.type));
      if (s.i >= INT32_MIN && s.i <= INT32_MAX) {
        e.args[i] = int32_t(s.i);
        return true;
      }
      e.wide |= uint8_t(1u << i);
      e.args[i] = int32_t(out_.wide.size());
      out_.wide.push_back(s.i);
      return true;
    case ArgKind::Enum: {
      if (s.type != Slot::String) return fail(where() + " should be a string, found " + typeName(s.type));
      int v = enumValue(a.enumKind, s.s);
      if (v < 0)
        return fail(where() + " is " + quote(s.s) + ", expected one of " + expectedEnum(a.enumKind));
      e.args[i] = v;
      return true;
    }
    case ArgKind::Str:
      if (s.type != Slot::String) return fail(where() + " should be a string, found " + typeName(s.type));
      e.args[i] = out_.intern(s.s);
      return true;
    case ArgKind::GList:
      if (s.type != Slot::Array || s.badElem != Slot::Missing)
        return fail(where() + " should be an array of goroutine ids, found " +
                    (s.type == Slot::Array ? std::string("an array holding ") + typeName(s.badElem)
                                           : std::string(typeName(s.type))));
      e.args[i] = int32_t(out_.glists.size());
      out_.glists.push_back(int32_t(s.list.size()));
      for (int64_t g : s.list) {
        if (g < -1 || g > INT32_MAX)
          return fail(where() + " holds " + std::to_string(g) + ", not a goroutine id");
        out_.glists.push_back(int32_t(g));
      }
      return true;
  }
  return fail(where() + " has an unknown kind");
}

bool EventParser::finish() {
  Slot& ev = fixed_[kEv];
  if (ev.type == Slot::Missing) return fail("event has no \"ev\" field (the event's name)");
  if (ev.type != Slot::String)
    return fail(std::string("\"ev\" should be a string, found ") + typeName(ev.type));
  std::optional<Ev> kind = lookupEvent(ev.s);
  if (!kind) return fail("unknown event " + quote(ev.s));
  const EventDef& d = eventDef(*kind);
  for (int f = kTs; f <= kG; f++)
    if (fixed_[f].type == Slot::Missing)
      return fail("event " + quote(d.name) + " is missing field " + quote(kFixedNames[f]));
  Event e{};
  e.ev = *kind;
  const Slot& ts = fixed_[kTs];
  if (ts.type != Slot::Int || ts.tooBig || ts.i < 0)
    return fail("event " + quote(d.name) + ": \"ts\" should be a non-negative integer (ns), found " +
                (ts.type == Slot::Int ? std::to_string(ts.i) : std::string(typeName(ts.type))));
  e.ts = ts.i;
  if (!packId("m", fixed_[kM], d, e.m) || !packId("p", fixed_[kP], d, e.p) ||
      !packId("g", fixed_[kG], d, e.g))
    return false;
  for (int i = 0; i < d.nargs; i++) {
    Slot* s = findArg(d.args[i].name);
    if (s == nullptr || s->type == Slot::Missing)
      return fail("event " + quote(d.name) + " is missing argument " + quote(d.args[i].name));
    if (!packArg(e, d, i, *s)) return false;
  }
  if (!out_.events.empty() && e.ts < out_.events.back().ts)
    return fail("event " + quote(d.name) + " has ts " + std::to_string(e.ts) +
                ", earlier than the event before it (" + std::to_string(out_.events.back().ts) +
                "): events must be in time order");
  out_.events.push_back(e);
  return true;
}

namespace {

bool blank(const char* b, const char* e) {
  for (; b < e; b++)
    if (*b != ' ' && *b != '\t') return false;
  return true;
}

}  // namespace

LinesResult parseLines(Tables& out, const char* b, const char* e, const Tick& tick) {
  EventParser parser(out);
  LinesResult r;
  int64_t k = 0;      // local index of the line at p
  int64_t shift = 0;  // line index - event index, as last recorded in out.fixups
  auto note = [&](EventIndex j, int64_t line) {
    if (line - j == shift) return;
    shift = line - j;
    out.fixups.emplace_back(j, line);
  };
  Tick watched = [&](int64_t bytes) {
    if (tick(bytes)) return true;
    r.cancelled = true;
    return false;
  };
  int64_t seen = 0;  // lines read, for the progress tick
  const char* p = b;
  if (!watched(0)) p = e;  // cancelled before it began
  while (p < e) {
    EventIndex j0 = EventIndex(out.events.size());
    const char* resume = e;
    int64_t n = parser.parseRun(p, e, watched, resume, seen);
    if (r.cancelled) break;
    if (n > 0) note(j0, k);
    k += n;
    p = resume;
    if (p >= e) break;
    // Slow gear: the one line the run could not take.
    const char* nl = static_cast<const char*>(std::memchr(p, '\n', size_t(e - p)));
    const char* end = nl != nullptr ? nl : e;
    const char* le = end > p && end[-1] == '\r' ? end - 1 : end;
    if (!blank(p, le)) {
      EventIndex j = EventIndex(out.events.size());
      if (!parser.parseLine(p, le)) {
        if (nl == nullptr && parser.syntaxError()) {  // cut short while being written
          r.truncated = true;
          break;
        }
        r.errLine = k;
        r.err = parser.error();
        break;
      }
      note(j, k);
    }
    k++;
    p = nl != nullptr ? nl + 1 : e;
    if ((++seen & 0x3fff) == 0 && !watched(0)) break;  // the runs report the bytes
  }
  r.lines = k;
  return r;
}

}  // namespace gmps::trace::detail
