#include "core/commands.h"

#include <cstdlib>
#include <cstring>
#include <iterator>

#include "core/layout.h"
#include "core/replay.h"
#include "gmpscope/tracer/events.h"

namespace gmps::viewer {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\n')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\n')) s.remove_suffix(1);
  return s;
}

bool parseInt(std::string_view s, int64_t& v) {
  std::string t(trim(s));
  if (t.empty()) return false;
  char* end = nullptr;
  long long x = std::strtoll(t.c_str(), &end, 10);
  if (*end != '\0' || x < 0) return false;
  v = x;
  return true;
}

bool parseRange(std::string_view s, double& a, double& b) {
  size_t colon = s.find(':');
  if (colon == std::string_view::npos) return false;
  return parseTime(s.substr(0, colon), a) && parseTime(s.substr(colon + 1), b) && b > a;
}

int groupByKey(std::string_view k) {
  static constexpr std::pair<const char*, Group> kKeys[] = {
      {"startup", Group::Startup},   {"procs", Group::Procs},     {"runqs", Group::Runqs},
      {"threads", Group::Machines},  {"sysmon", Group::Sysmon},   {"goroutines", Group::Goroutines}};
  for (auto [name, g] : kKeys)
    if (k == name) return int(g);
  return -1;
}

}  // namespace

bool parseTime(std::string_view s, double& ns) {
  std::string t(trim(s));
  if (t.empty()) return false;
  char* end = nullptr;
  double v = std::strtod(t.c_str(), &end);
  if (end == t.c_str() || v < 0) return false;
  std::string_view unit = trim(std::string_view(end));
  double scale = 0;
  if (unit.empty() || unit == "ns") scale = 1;
  else if (unit == "us" || unit == "µs") scale = 1e3;
  else if (unit == "ms") scale = 1e6;
  else if (unit == "s") scale = 1e9;
  else return false;
  ns = v * scale;
  return true;
}

int tabOfPanel(int64_t panel) {
  if (panel < 0 || size_t(panel) >= std::size(kPanels)) return -1;
  std::string_view name = kPanels[panel];
  if (name == "stats") name = "goroutines";
  for (size_t i = 0; i < std::size(kStatsTabs); i++)
    if (name == kStatsTabs[i]) return int(i);
  return -1;  // timeline
}

bool parseViewCommands(std::string_view text, std::vector<ViewCommand>& out, std::string& err) {
  while (!text.empty()) {
    size_t semi = text.find(';');
    std::string_view cmd = trim(text.substr(0, semi));
    text = semi == std::string_view::npos ? std::string_view() : text.substr(semi + 1);
    if (cmd.empty()) continue;
    size_t eq = cmd.find('=');
    std::string_view key = trim(cmd.substr(0, eq));
    std::string_view val = eq == std::string_view::npos ? std::string_view() : trim(cmd.substr(eq + 1));
    ViewCommand c{};
    auto fail = [&](const char* expected) {
      err = std::string(cmd) + ": expected " + expected;
      return false;
    };
    if (key == "zoom" || key == "measure") {
      c.kind = key == "zoom" ? ViewCommand::Kind::Zoom : ViewCommand::Kind::Measure;
      if (!parseRange(val, c.t0, c.t1)) return fail("T0:T1 with T0 < T1, e.g. 100us:250us");
    } else if (key == "event" || key == "line" || key == "g") {
      c.kind = key == "event" ? ViewCommand::Kind::Event
               : key == "line" ? ViewCommand::Kind::Line
                               : ViewCommand::Kind::Goroutine;
      if (!parseInt(val, c.n)) return fail("a non-negative integer");
    } else if (key == "filter") {
      c.kind = ViewCommand::Kind::Filter;
      std::vector<int32_t> ids;
      if (!parseGoroutineFilter(val, ids)) return fail("goroutine ids such as 3, 10-12");
      c.text = std::string(val);
    } else if (key == "kind") {
      c.kind = ViewCommand::Kind::EventKind;
      std::optional<trace::Ev> ev = trace::eventByName(val);
      if (!ev) return fail("an event name from the event table, e.g. RunqSteal");
      c.n = int64_t(*ev);
    } else if (key == "tab") {
      c.kind = ViewCommand::Kind::Tab;
      for (size_t i = 0; i < std::size(kStatsTabs); i++)
        if (val == kStatsTabs[i]) c.n = int64_t(i);
      if (c.n < 0) return fail("scheduler, startup, goroutines, processors, latency, events or find");
    } else if (key == "collapse" || key == "expand") {
      c.kind = key == "collapse" ? ViewCommand::Kind::Collapse : ViewCommand::Kind::Expand;
      c.n = groupByKey(val);
      if (c.n < 0) return fail("startup, procs, runqs, threads, sysmon or goroutines");
    } else if (key == "theme") {
      c.kind = ViewCommand::Kind::Theme;
      if (val != "light" && val != "dark") return fail("light or dark");
      c.n = val == "light" ? 1 : 0;
    } else if (key == "time") {
      c.kind = ViewCommand::Kind::Time;
      if (!parseTime(val, c.t0)) return fail("a time, e.g. 1.5ms");
    } else if (key == "speed") {
      c.kind = ViewCommand::Kind::Speed;
      c.n = speedByName(val);
      if (c.n < 0) return fail("a speed: realtime, 100ms/s, 10ms/s, 1ms/s, 100us/s, 10us/s, 1us/s, "
                               "100ev/s, 20ev/s, 5ev/s, 2ev/s or 1ev/s");
    } else if (key == "panel") {
      c.kind = ViewCommand::Kind::Panel;
      for (size_t i = 0; i < std::size(kPanels); i++)
        if (val == kPanels[i]) c.n = int64_t(i);
      if (c.n < 0) return fail("timeline, scheduler, startup, stats, goroutines, processors, latency or events");
    } else if (key == "why" || key == "step") {
      c.kind = key == "why" ? ViewCommand::Kind::Why : ViewCommand::Kind::Step;
      std::string_view v = key == "why" && !val.empty() && (val[0] == 'G' || val[0] == 'g') ? val.substr(1) : val;
      if (!parseInt(v, c.n) || (key == "step" && c.n < 1))
        return fail(key == "why" ? "a goroutine id, e.g. why=12" : "a step number from 1");
    } else if (key == "walk" || key == "tutorial") {
      c.kind = key == "walk" ? ViewCommand::Kind::Walk : ViewCommand::Kind::Tutorial;
      if (val.empty()) return fail(key == "walk" ? "a step id such as schedinit, or its number" : "a tutorial number, e.g. 03");
      c.text = std::string(val);
    } else if (key == "answer" || key == "play") {
      c.kind = key == "answer" ? ViewCommand::Kind::Answer : ViewCommand::Kind::Play;
    } else {
      err = std::string(cmd) + ": unknown command (zoom, measure, event, line, g, filter, kind, tab, "
                               "collapse, expand, theme, time, speed, play, panel, why, walk, tutorial, "
                               "step, answer)";
      return false;
    }
    out.push_back(std::move(c));
  }
  return true;
}

bool parseInputScript(std::string_view text, std::vector<InputStep>& out, std::string& err) {
  while (!text.empty()) {
    size_t semi = text.find(';');
    std::string_view cmd = trim(text.substr(0, semi));
    text = semi == std::string_view::npos ? std::string_view() : text.substr(semi + 1);
    if (cmd.empty()) continue;
    std::vector<std::string> w;
    for (size_t i = 0; i < cmd.size();) {
      while (i < cmd.size() && cmd[i] == ' ') i++;
      size_t j = i;
      while (j < cmd.size() && cmd[j] != ' ') j++;
      if (j > i) w.emplace_back(cmd.substr(i, j - i));
      i = j;
    }
    auto fail = [&](const char* expected) {
      err = std::string(cmd) + ": expected " + expected;
      return false;
    };
    auto num = [&](size_t i, float& v) {
      if (i >= w.size()) return false;
      char* end = nullptr;
      v = std::strtof(w[i].c_str(), &end);
      return *end == '\0';
    };
    InputStep st{};
    const std::string& verb = w[0];
    if (verb == "move") {
      st.kind = InputStep::Kind::Move;
      if (w.size() != 3 || !num(1, st.x0) || !num(2, st.y0)) return fail("move X Y");
    } else if (verb == "click") {
      st.kind = InputStep::Kind::Click;
      st.button = w.size() > 1 && w[1] == "right" ? 1 : 0;
    } else if (verb == "dblclick") {
      st.kind = InputStep::Kind::DoubleClick;
    } else if (verb == "drag" || verb == "rdrag") {
      st.kind = InputStep::Kind::Drag;
      st.button = verb == "rdrag" ? 1 : 0;
      if (w.size() != 5 || !num(1, st.x0) || !num(2, st.y0) || !num(3, st.x1) || !num(4, st.y1))
        return fail("drag X0 Y0 X1 Y1");
    } else if (verb == "wheel") {
      st.kind = InputStep::Kind::Wheel;
      float v = 0;
      if (w.size() < 2 || !num(1, v)) return fail("wheel N [shift]");
      st.n = int(v);
      st.shift = w.size() > 2 && w[2] == "shift";
    } else if (verb == "key" || verb == "hold") {
      st.kind = verb == "key" ? InputStep::Kind::Key : InputStep::Kind::Hold;
      if (w.size() < 2) return fail("a key name");
      std::string k = w[1];
      for (;;) {
        if (k.rfind("ctrl+", 0) == 0) st.ctrl = true, k = k.substr(5);
        else if (k.rfind("shift+", 0) == 0) st.shift = true, k = k.substr(6);
        else break;
      }
      st.key = k;
      float frames = 1;
      if (st.kind == InputStep::Kind::Hold && (w.size() != 3 || !num(2, frames) || frames < 1))
        return fail("hold NAME FRAMES");
      st.n = int(frames);
    } else if (verb == "char") {
      st.kind = InputStep::Kind::Char;
      if (w.size() != 2) return fail("char C");
      st.key = w[1];
    } else if (verb == "wait") {
      st.kind = InputStep::Kind::Wait;
      float frames = 0;
      if (w.size() != 2 || !num(1, frames) || frames < 0) return fail("wait FRAMES");
      st.n = int(frames);
    } else if (verb == "drop") {
      st.kind = InputStep::Kind::Drop;
      if (w.size() < 2) return fail("drop PATH");
      st.key = std::string(trim(cmd.substr(4)));
    } else {
      err = std::string(cmd) + ": unknown step (move, click, dblclick, drag, rdrag, wheel, key, hold, "
                               "char, wait, drop)";
      return false;
    }
    out.push_back(std::move(st));
  }
  return true;
}

}  // namespace gmps::viewer
