#include "gmpscope/tracer/events.h"

namespace gmps::trace {

std::optional<Ev> eventByName(std::string_view name) {
  for (int i = 0; i < kNumEvents; i++)
    if (name == kEventDefs[i].name) return static_cast<Ev>(i);
  return std::nullopt;
}

int enumValue(EnumKind k, std::string_view s) {
  EnumTable t = enumTable(k);
  for (int i = 0; i < t.count; i++)
    if (s == t.names[i]) return i;
  return -1;
}

}  // namespace gmps::trace
