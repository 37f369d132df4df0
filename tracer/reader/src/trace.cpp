// trace.cpp — Trace's accessors: named arguments, line numbers, printable events.
#include <algorithm>
#include <cassert>
#include <nlohmann/json.hpp>

#include "gmpscope/tracer/reader.h"

namespace gmps::trace {

int64_t Trace::arg(const Event& e, std::string_view name) const {
  int i = argIndex(e.ev, name);
  assert(i >= 0 && "Trace::arg: no such argument in the event's row");
  return i < 0 ? -1 : arg(e, i);
}

int64_t Trace::lineOf(EventIndex i) const {
  auto it = std::upper_bound(lineFixups.begin(), lineFixups.end(), i,
                             [](EventIndex v, const auto& f) { return v < f.first; });
  if (it == lineFixups.begin()) return int64_t(i) + 2;
  --it;
  return it->second + (i - it->first);
}

std::string Trace::formatEvent(EventIndex i) const {
  const Event& e = events[size_t(i)];
  const EventDef& d = eventDef(e.ev);
  std::string out = d.name;
  auto field = [&](const char* k, int64_t v) {
    out += ' ';
    out += k;
    out += '=';
    out += std::to_string(v);
  };
  field("g", e.g);
  field("m", e.m);
  field("p", e.p);
  for (int a = 0; a < d.nargs; a++) {
    const ArgDef& ad = d.args[a];
    out += ' ';
    out += ad.name;
    out += '=';
    switch (ad.kind) {
      case ArgKind::Enum: {
        EnumTable t = enumTable(ad.enumKind);
        int64_t v = arg(e, a);
        out += nlohmann::json(v >= 0 && v < t.count ? t.names[v] : "?").dump();
        break;
      }
      case ArgKind::Str: out += nlohmann::json(std::string(str(e, a))).dump(); break;
      case ArgKind::GList: {
        out += '[';
        bool firstG = true;
        for (int32_t g : glist(e, a)) {
          if (!firstG) out += ',';
          firstG = false;
          out += std::to_string(g);
        }
        out += ']';
        break;
      }
      default: out += std::to_string(arg(e, a)); break;
    }
  }
  return out;
}

}  // namespace gmps::trace
