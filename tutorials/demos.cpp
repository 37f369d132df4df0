#include "demos.h"

#include <algorithm>
#include <cstring>

namespace gmps::demos {

static std::vector<Demo>& registry() {
  static std::vector<Demo> v;
  return v;
}

Registrar::Registrar(const Demo& d) {
  auto& r = registry();
  r.push_back(d);
  std::sort(r.begin(), r.end(), [](const Demo& a, const Demo& b) {
    int t = std::strcmp(a.tutorial, b.tutorial);
    return t != 0 ? t < 0 : std::strcmp(a.name, b.name) < 0;
  });
}

const std::vector<Demo>& all() { return registry(); }

const Demo* find(std::string_view name) {
  for (const Demo& d : registry())
    if (name == d.name) return &d;
  return nullptr;
}

}  // namespace gmps::demos
