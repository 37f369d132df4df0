// demos.h — the built-in demo programs (`gmpscope list`, `gmpscope run DEMO`).
// Each tutorial folder holds its demo's source; GMPS_DEMO registers it.
#pragma once

#include <string_view>
#include <vector>

namespace gmps::demos {

struct Demo {
  const char* name;
  const char* tutorial;  // the tutorial folder it belongs to, e.g. "01-startup"
  const char* summary;   // one line for `gmpscope list`
  void (*main)(long n);  // main.main; n is --n (0: the demo's default)
  int procs;             // suggested GOMAXPROCS (0: leave to the environment)
};

const std::vector<Demo>& all();
const Demo* find(std::string_view name);

struct Registrar {
  explicit Registrar(const Demo& d);
};

}  // namespace gmps::demos

#define GMPS_DEMO_CAT2(a, b) a##b
#define GMPS_DEMO_CAT(a, b) GMPS_DEMO_CAT2(a, b)
#define GMPS_DEMO(name, tutorial, procs, summary)                                       \
  static void GMPS_DEMO_CAT(demo_main_, __LINE__)(long n);                             \
  static const ::gmps::demos::Registrar GMPS_DEMO_CAT(demo_reg_, __LINE__){             \
      ::gmps::demos::Demo{name, tutorial, summary, &GMPS_DEMO_CAT(demo_main_, __LINE__), procs}}; \
  static void GMPS_DEMO_CAT(demo_main_, __LINE__)(long n)
