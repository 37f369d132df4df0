// parse.cpp — reads and validates steps.json and startup_walkthrough.json.
//
// [SECTION] Fields: a cursor over the JSON tree that knows its path for messages
// [SECTION] Selectors and jumps
// [SECTION] Tutorials
// [SECTION] Walkthrough
// [SECTION] Files and the catalog
//
// The files are strict: an unknown key is an error (a misspelt "questoin" must not
// silently drop a question), and every message names the file and the field.
#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "gmpscope/guide/guide.h"

namespace gmps::guide {

using json = nlohmann::json;
using trace::ArgKind;

namespace {

// ---------------------------------------------------------------------------
// [SECTION] Fields

// Bad is thrown inside this file only, carrying `PATH: problem`; the public entry
// points catch it and turn it into Loaded::error.
struct Bad {
  std::string msg;
};

std::string typeName(const json& v) {
  if (v.is_string()) return "a string";
  if (v.is_number_integer()) return "an integer";
  if (v.is_number()) return "a number";
  if (v.is_boolean()) return "a boolean";
  if (v.is_null()) return "null";
  if (v.is_array()) return "an array";
  return "an object";
}

std::string shortDump(const json& v) {
  std::string s = v.dump();
  if (s.size() > 40) s = s.substr(0, 37) + "...";
  return s;
}

// Obj is a JSON object being read at path; done() rejects keys nobody asked for.
class Obj {
 public:
  Obj(const json& v, std::string path) : v_(v), path_(std::move(path)) {
    if (!v_.is_object()) fail("expected an object, got " + typeName(v_));
  }

  [[noreturn]] void fail(const std::string& what) const { throw Bad{path_ + ": " + what}; }
  std::string at(std::string_view key) const {
    return path_.empty() ? std::string(key) : path_ + "." + std::string(key);
  }
  bool has(const char* key) {
    seen_.push_back(key);
    return v_.contains(key);
  }
  const json& get(const char* key) {
    if (!has(key)) fail("missing field \"" + std::string(key) + "\"");
    return v_.at(key);
  }

  std::string str(const char* key, bool allowEmpty = false) {
    const json& x = get(key);
    if (!x.is_string()) throw Bad{at(key) + ": expected a string, got " + typeName(x)};
    std::string s = x.get<std::string>();
    if (!allowEmpty && s.empty()) throw Bad{at(key) + ": must not be empty"};
    return s;
  }
  std::string optStr(const char* key) { return has(key) ? str(key, true) : std::string(); }

  int64_t integer(const char* key, int64_t lo, int64_t hi) {
    return checkInt(get(key), at(key), lo, hi);
  }

  static int64_t checkInt(const json& x, const std::string& path, int64_t lo, int64_t hi) {
    if (!x.is_number_integer())
      throw Bad{path + ": expected an integer, got " + typeName(x) + " " + shortDump(x)};
    int64_t n = x.get<int64_t>();
    if (n < lo || n > hi)
      throw Bad{path + ": " + std::to_string(n) + " is out of range [" + std::to_string(lo) + ", " +
                std::to_string(hi) + "]"};
    return n;
  }

  // done: every key of the object must have been asked for.
  void done() const {
    for (auto it = v_.begin(); it != v_.end(); ++it) {
      if (std::find(seen_.begin(), seen_.end(), it.key()) == seen_.end())
        throw Bad{at(it.key()) + ": unknown field (a typo?)"};
    }
  }

  const json& raw() const { return v_; }
  const std::string& path() const { return path_; }

 private:
  const json& v_;
  std::string path_;
  std::vector<std::string> seen_;
};

// durationOf reads a duration: an integer of ns, or a string "1.5ms".
Ns durationOf(const json& x, const std::string& path) {
  if (x.is_number_integer()) {
    int64_t n = x.get<int64_t>();
    if (n < 0) throw Bad{path + ": a duration must not be negative"};
    return n;
  }
  if (!x.is_string())
    throw Bad{path + ": expected a duration (ns as an integer, or \"250us\", \"1.5ms\"), got " +
              typeName(x)};
  Ns ns = 0;
  if (!parseDuration(x.get<std::string>(), ns))
    throw Bad{path + ": \"" + x.get<std::string>() +
              "\" is not a duration (write ns as an integer, or \"250us\", \"1.5ms\", \"2s\")"};
  return ns;
}

// ---------------------------------------------------------------------------
// [SECTION] Selectors and jumps

const char* kindHint(ArgKind k) {
  switch (k) {
    case ArgKind::G: return "a goroutine id";
    case ArgKind::P: return "a P id";
    case ArgKind::M: return "an M id";
    case ArgKind::Dur: return "a duration";
    default: return "an integer";
  }
}

ArgFilter parseFilter(trace::Ev ev, const trace::ArgDef& def, int idx, const json& v,
                      const std::string& path) {
  ArgFilter f;
  f.arg = idx;
  switch (def.kind) {
    case ArgKind::Int:
    case ArgKind::G:
    case ArgKind::P:
    case ArgKind::M:
    case ArgKind::Dur: {
      auto scalar = [&](const json& x, const std::string& p) -> int64_t {
        if (def.kind == ArgKind::Dur) return durationOf(x, p);
        if (!x.is_number_integer())
          throw Bad{p + ": expected an integer (" + kindHint(def.kind) + "), got " + typeName(x) +
                    " " + shortDump(x)};
        return x.get<int64_t>();
      };
      if (!v.is_object()) {
        f.op = ArgFilter::Op::Equal;
        f.lo = f.hi = scalar(v, path);
        return f;
      }
      Obj o(v, path);
      f.op = ArgFilter::Op::Range;
      f.lo = o.has("min") ? scalar(o.get("min"), o.at("min")) : INT64_MIN;
      f.hi = o.has("max") ? scalar(o.get("max"), o.at("max")) : INT64_MAX;
      o.done();
      if (f.lo == INT64_MIN && f.hi == INT64_MAX) o.fail("a range needs \"min\" or \"max\"");
      if (f.lo > f.hi) o.fail("\"min\" is greater than \"max\"");
      return f;
    }
    case ArgKind::Enum: {
      trace::EnumTable t = trace::enumTable(def.enumKind);
      if (!v.is_string()) throw Bad{path + ": expected a string, got " + typeName(v)};
      std::string s = v.get<std::string>();
      int i = trace::enumValue(def.enumKind, s);
      if (i < 0) {
        std::string all;
        for (int k = 0; k < t.count; k++) all += std::string(k ? ", " : "") + "\"" + t.names[k] + "\"";
        throw Bad{path + ": \"" + s + "\" is not a value of " + trace::eventName(ev) + "." +
                  def.name + " (one of " + all + ")"};
      }
      f.op = ArgFilter::Op::Equal;
      f.lo = f.hi = i;
      return f;
    }
    case ArgKind::Str:
      if (!v.is_string()) throw Bad{path + ": expected a string, got " + typeName(v)};
      f.op = ArgFilter::Op::Text;
      f.text = v.get<std::string>();
      return f;
    case ArgKind::GList: {
      if (v.is_number_integer()) {
        f.op = ArgFilter::Op::Contains;
        f.lo = v.get<int64_t>();
        return f;
      }
      Obj o(v, path);
      if (o.has("contains")) {
        f.op = ArgFilter::Op::Contains;
        f.lo = o.integer("contains", 0, INT32_MAX);
      } else {
        f.op = ArgFilter::Op::Length;
        f.lo = o.has("len_min") ? o.integer("len_min", 0, INT32_MAX) : 0;
        f.hi = o.has("len_max") ? o.integer("len_max", 0, INT32_MAX) : INT32_MAX;
        if (!o.raw().contains("len_min") && !o.raw().contains("len_max"))
          o.fail("a goroutine list filter is a G id, {\"contains\": G}, or {\"len_min\": N, \"len_max\": N}");
      }
      o.done();
      return f;
    }
  }
  throw Bad{path + ": unsupported argument kind"};
}

EventSelector parseSelector(const json& v, const std::string& path, int depth) {
  if (depth > 4) throw Bad{path + ": \"after\"/\"before\" nested too deeply (at most 4 levels)"};
  Obj o(v, path);
  EventSelector s;
  std::string name = o.str("ev");
  auto ev = trace::eventByName(name);
  if (!ev) throw Bad{o.at("ev") + ": unknown event \"" + name + "\" (events.h lists them)"};
  s.ev = *ev;
  if (o.has("g")) s.g = int32_t(o.integer("g", -1, INT32_MAX));
  if (o.has("p")) s.p = int32_t(o.integer("p", -1, INT32_MAX));
  if (o.has("m")) s.m = int32_t(o.integer("m", -1, INT32_MAX));
  if (o.has("nth")) {
    s.nth = int(o.integer("nth", -1000000, 1000000));
    if (s.nth == 0) throw Bad{o.at("nth") + ": counts from 1 (or from -1, the last)"};
  }
  if (o.has("args")) {
    Obj a(o.get("args"), o.at("args"));
    const trace::EventDef& def = trace::eventDef(s.ev);
    for (auto it = a.raw().begin(); it != a.raw().end(); ++it) {
      int idx = trace::argIndex(s.ev, it.key());
      if (idx < 0) {
        std::string all;
        for (int k = 0; k < def.nargs; k++) all += std::string(k ? ", " : "") + def.args[k].name;
        throw Bad{a.at(it.key()) + ": " + name + " has no argument \"" + it.key() + "\"" +
                  (def.nargs ? " (it has " + all + ")" : " (it has none)")};
      }
      a.has(it.key().c_str());
      s.args.push_back(parseFilter(s.ev, def.args[idx], idx, it.value(), a.at(it.key())));
    }
    a.done();
  }
  if (o.has("after"))
    s.after = std::make_shared<EventSelector>(parseSelector(o.get("after"), o.at("after"), depth + 1));
  if (o.has("before"))
    s.before = std::make_shared<EventSelector>(parseSelector(o.get("before"), o.at("before"), depth + 1));
  if (o.has("from")) s.from = durationOf(o.get("from"), o.at("from"));
  if (o.has("to")) s.to = durationOf(o.get("to"), o.at("to"));
  if (s.from && s.to && *s.from > *s.to) o.fail("\"from\" is later than \"to\"");
  o.done();
  return s;
}

Panel parsePanel(Obj& o) {
  if (!o.has("panel")) return Panel::Timeline;
  std::string s = o.str("panel");
  for (int i = 0; i < int(Panel::Count); i++)
    if (s == panelName(Panel(i))) return Panel(i);
  throw Bad{o.at("panel") + ": \"" + s + "\" is not a panel (timeline, scheduler, startup, stats, goroutines, processors, "
                 "latency, events)"};
}

Jump parseJump(const json& v, const std::string& path) {
  Obj o(v, path);
  Jump j;
  int kinds = 0;
  if (o.has("event")) {
    j.kind = Jump::Kind::Event;
    j.event = parseSelector(o.get("event"), o.at("event"), 0);
    kinds++;
  }
  if (o.has("goroutine")) {
    j.kind = Jump::Kind::Goroutine;
    j.goroutine = int32_t(o.integer("goroutine", 0, INT32_MAX));
    kinds++;
  }
  if (o.has("time")) {
    j.kind = Jump::Kind::Time;
    j.time = durationOf(o.get("time"), o.at("time"));
    kinds++;
  }
  if (kinds != 1) o.fail("needs exactly one target: \"event\", \"goroutine\" or \"time\"");
  j.run = o.optStr("run");
  j.panel = parsePanel(o);
  if (o.has("window")) j.window = durationOf(o.get("window"), o.at("window"));
  if (o.has("highlight")) j.highlight = int32_t(o.integer("highlight", 0, INT32_MAX));
  if (j.kind == Jump::Kind::Goroutine && j.highlight < 0) j.highlight = j.goroutine;
  o.done();
  return j;
}

void checkHeader(Obj& o, const char* format) {
  std::string f = o.str("format");
  if (f != format) throw Bad{o.at("format") + ": expected \"" + std::string(format) + "\", got \"" + f + "\""};
  int64_t v = o.integer("version", 1, 1000);
  if (v != kFormatVersion)
    throw Bad{o.at("version") + ": version " + std::to_string(v) + " is not supported (this build reads " +
              std::to_string(kFormatVersion) + ")"};
}

// ---------------------------------------------------------------------------
// [SECTION] Tutorials

bool envNameOk(const std::string& k) {
  if (k.empty() || std::isdigit(static_cast<unsigned char>(k[0]))) return false;
  return std::all_of(k.begin(), k.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; });
}

// parseRunFields reads the fields a run has; the main run's live at the top level.
void parseRunFields(Obj& o, Run& r) {
  r.demo = o.str("demo");
  r.procs = int(o.integer("procs", 1, 1024));
  r.n = long(o.has("n") ? o.integer("n", 0, 1'000'000'000) : 0);
  if (o.has("env")) {
    Obj e(o.get("env"), o.at("env"));
    for (auto it = e.raw().begin(); it != e.raw().end(); ++it) {
      e.has(it.key().c_str());
      if (!envNameOk(it.key())) throw Bad{e.at(it.key()) + ": not an environment variable name"};
      if (!it.value().is_string())
        throw Bad{e.at(it.key()) + ": expected a string, got " + typeName(it.value())};
      std::string val = it.value().get<std::string>();
      if (val.find_first_of(" \t\n'\"\\$`") != std::string::npos)
        throw Bad{e.at(it.key()) + ": no spaces, quotes, backslashes or $ in values (scripts pass them as is)"};
      r.env.emplace_back(it.key(), val);
    }
    e.done();
  }
  r.trace = o.str("trace");
  if (r.trace.rfind("traces/", 0) != 0 || r.trace.size() < 14 ||
      r.trace.compare(r.trace.size() - 6, 6, ".jsonl") != 0)
    throw Bad{o.at("trace") + ": expected \"traces/NAME.jsonl\", got \"" + r.trace + "\""};
}

Step parseStep(const json& v, const std::string& path) {
  Obj o(v, path);
  Step s;
  s.title = o.str("title");
  s.text = o.str("text");
  s.jump = parseJump(o.get("jump"), o.at("jump"));
  s.look = o.str("look");
  s.question = o.str("question");
  s.answer = o.str("answer");
  o.done();
  return s;
}

Tutorial parseTutorialJson(const json& root) {
  Obj o(root, "");
  Tutorial t;
  checkHeader(o, kTutorialFormat);
  t.id = o.str("id");
  if (t.id.size() != 2 || !std::isdigit(static_cast<unsigned char>(t.id[0])) ||
      !std::isdigit(static_cast<unsigned char>(t.id[1])))
    throw Bad{o.at("id") + ": expected two digits, e.g. \"03\", got \"" + t.id + "\""};
  t.slug = o.str("slug");
  if (t.slug.rfind(t.id + "-", 0) != 0 || t.slug.size() < 4)
    throw Bad{o.at("slug") + ": expected \"" + t.id + "-topic\", got \"" + t.slug + "\""};
  t.title = o.str("title");
  t.summary = o.str("summary");
  Run main;
  main.name = "main";
  parseRunFields(o, main);
  t.runs.push_back(main);
  if (o.has("runs")) {
    const json& rs = o.get("runs");
    if (!rs.is_array()) throw Bad{o.at("runs") + ": expected an array, got " + typeName(rs)};
    for (size_t i = 0; i < rs.size(); i++) {
      Obj r(rs[i], o.at("runs") + "[" + std::to_string(i) + "]");
      Run run;
      run.name = r.str("name");
      if (t.run(run.name) != nullptr) throw Bad{r.at("name") + ": run \"" + run.name + "\" is defined twice"};
      run.about = r.str("about");
      parseRunFields(r, run);
      r.done();
      t.runs.push_back(run);
    }
  }
  for (size_t i = 0; i < t.runs.size(); i++)
    for (size_t k = 0; k < i; k++)
      if (t.runs[i].trace == t.runs[k].trace)
        throw Bad{"runs: runs \"" + t.runs[k].name + "\" and \"" + t.runs[i].name + "\" write the same trace " +
                  t.runs[i].trace};
  const json& steps = o.get("steps");
  if (!steps.is_array() || steps.empty()) throw Bad{"steps: expected a non-empty array"};
  for (size_t i = 0; i < steps.size(); i++) {
    std::string p = "steps[" + std::to_string(i) + "]";
    t.steps.push_back(parseStep(steps[i], p));
    const Jump& j = t.steps.back().jump;
    if (!j.run.empty() && t.run(j.run) == nullptr)
      throw Bad{p + ".jump.run: no run called \"" + j.run + "\" (define it in \"runs\")"};
  }
  o.done();
  return t;
}

// ---------------------------------------------------------------------------
// [SECTION] Walkthrough

Walkthrough parseWalkthroughJson(const json& root) {
  Obj o(root, "");
  Walkthrough w;
  checkHeader(o, kWalkthroughFormat);
  w.trace = o.str("trace");
  const json& steps = o.get("steps");
  if (!steps.is_array() || steps.empty()) throw Bad{"steps: expected a non-empty array"};
  for (size_t i = 0; i < steps.size(); i++) {
    std::string p = "steps[" + std::to_string(i) + "]";
    Obj s(steps[i], p);
    WalkStep ws;
    ws.id = s.str("id");
    for (const WalkStep& prev : w.steps)
      if (prev.id == ws.id) throw Bad{s.at("id") + ": \"" + ws.id + "\" is used twice"};
    ws.title = s.str("title");
    {
      Obj g(s.get("go"), s.at("go"));
      ws.goWhere = g.str("where");
      ws.goWhat = g.str("what");
      ws.gdb = g.optStr("gdb");
      g.done();
    }
    {
      Obj r(s.get("gmpscope"), s.at("gmpscope"));
      ws.ourWhere = r.str("where");
      ws.ourWhat = r.str("what");
      r.done();
    }
    {
      Obj t(s.get("trace"), s.at("trace"));
      ws.traceWhat = t.str("what");
      ws.jump = parseJump(t.get("jump"), t.at("jump"));
      if (ws.jump.kind != Jump::Kind::Event) t.fail("jump: a walkthrough step must name an event");
      if (!ws.jump.run.empty()) t.fail("jump.run: the walkthrough has one trace; no runs");
      t.done();
    }
    s.done();
    w.steps.push_back(std::move(ws));
  }
  o.done();
  return w;
}

// ---------------------------------------------------------------------------
// [SECTION] Files and the catalog

template <typename T, typename F>
Loaded<T> parseWith(std::string_view text, const std::string& name, F fn) {
  Loaded<T> r;
  json root;
  try {
    root = json::parse(text.begin(), text.end());
  } catch (const json::parse_error& e) {
    // e.what() is "[json.exception.parse_error.101] parse error at line 3, column 5: ..."
    std::string w = e.what();
    size_t k = w.find("] ");
    r.error = name + ": not valid JSON: " + (k == std::string::npos ? w : w.substr(k + 2));
    return r;
  }
  try {
    r.value = fn(root);
    r.value->file = name;
  } catch (const Bad& b) {
    r.error = name + ": " + b.msg;
  } catch (const std::exception& e) {
    r.error = name + ": " + e.what();
  }
  return r;
}

bool readFile(const std::string& path, std::string& out, std::string& err) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    err = path + ": cannot read: " + std::strerror(errno);
    return false;
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  out = ss.str();
  return true;
}

}  // namespace

const char* panelName(Panel p) {
  switch (p) {
    case Panel::Timeline: return "timeline";
    case Panel::Scheduler: return "scheduler";
    case Panel::Startup: return "startup";
    case Panel::Stats: return "stats";
    case Panel::Goroutines: return "goroutines";
    case Panel::Processors: return "processors";
    case Panel::Latency: return "latency";
    case Panel::Events: return "events";
    case Panel::Count: break;
  }
  return "?";
}

const Run* Tutorial::run(std::string_view name) const {
  if (name.empty()) name = "main";
  for (const Run& r : runs)
    if (r.name == name) return &r;
  return nullptr;
}

Loaded<Tutorial> parseTutorial(std::string_view text, const std::string& name) {
  return parseWith<Tutorial>(text, name, parseTutorialJson);
}

Loaded<Walkthrough> parseWalkthrough(std::string_view text, const std::string& name) {
  return parseWith<Walkthrough>(text, name, parseWalkthroughJson);
}

Loaded<Tutorial> loadTutorial(const std::string& path) {
  std::string text, err;
  if (!readFile(path, text, err)) return Loaded<Tutorial>{std::nullopt, err};
  return parseTutorial(text, path);
}

Loaded<Walkthrough> loadWalkthrough(const std::string& path) {
  std::string text, err;
  if (!readFile(path, text, err)) return Loaded<Walkthrough>{std::nullopt, err};
  return parseWalkthrough(text, path);
}

const Tutorial* Catalog::find(std::string_view key) const {
  if (key.empty()) return nullptr;
  std::string k(key);
  if (k.size() == 1 && std::isdigit(static_cast<unsigned char>(k[0]))) k = "0" + k;
  for (const Tutorial& t : tutorials)
    if (t.slug.rfind(k, 0) == 0) return &t;
  return nullptr;
}

Catalog loadCatalog(const std::string& tutorialsDir) {
  namespace fs = std::filesystem;
  Catalog c;
  std::error_code ec;
  fs::directory_iterator it(tutorialsDir, ec);
  if (ec) {
    c.errors.push_back(tutorialsDir + ": cannot list: " + ec.message());
    return c;
  }
  std::vector<fs::path> dirs;
  for (const auto& e : it) {
    std::string n = e.path().filename().string();
    if (e.is_directory() && n.size() > 3 && std::isdigit(static_cast<unsigned char>(n[0])) &&
        std::isdigit(static_cast<unsigned char>(n[1])) && n[2] == '-')
      dirs.push_back(e.path());
  }
  std::sort(dirs.begin(), dirs.end());
  for (const fs::path& d : dirs) {
    Loaded<Tutorial> t = loadTutorial((d / "steps.json").string());
    if (!t.ok()) {
      c.errors.push_back(t.error);
      continue;
    }
    if (t.value->slug != d.filename().string()) {
      c.errors.push_back(t.value->file + ": slug: \"" + t.value->slug + "\" does not match its folder \"" +
                         d.filename().string() + "\"");
      continue;
    }
    c.tutorials.push_back(std::move(*t.value));
  }
  return c;
}

}  // namespace gmps::guide
