// cmd_run.cpp — `gmpscope list` and `gmpscope run DEMO`.
#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "commands.h"
#include "demos.h"
#include "gmpscope/runtime.h"
#include "gmpscope/tracer/recorder.h"

namespace gmps::cli {

int cmdList() {
  int nameW = 4, tutW = 8;  // at least "DEMO" and "TUTORIAL"
  for (const demos::Demo& d : demos::all()) {
    nameW = std::max(nameW, int(std::strlen(d.name)));
    tutW = std::max(tutW, int(std::strlen(d.tutorial)));
  }
  std::printf("%-*s  %-*s  %s\n", nameW, "DEMO", tutW, "TUTORIAL", "WHAT IT SHOWS");
  for (const demos::Demo& d : demos::all())
    std::printf("%-*s  %-*s  %s\n", nameW, d.name, tutW, d.tutorial, d.summary);
  std::printf("\nrun one: gmpscope run DEMO [--n N] [--procs P] --trace FILE.jsonl\n");
  return 0;
}

namespace {
const demos::Demo* g_demo = nullptr;
long g_n = 0;
}  // namespace

int cmdRun(const RunOptions& o) {
  const demos::Demo* d = demos::find(o.demo);
  if (d == nullptr) {
    std::fprintf(stderr, "gmpscope: unknown demo \"%s\" (gmpscope list shows the demos)\n", o.demo.c_str());
    return 1;
  }
  const char* tf = !o.trace.empty() ? o.trace.c_str() : std::getenv("GMPTRACE");
  if (tf && *tf) {
    // Fail before running rather than after: the trace goes to FILE.tmp, then FILE.
    std::string probe = std::string(tf) + ".tmp";
    FILE* f = std::fopen(probe.c_str(), "w");
    if (f == nullptr) {
      std::fprintf(stderr, "gmpscope: %s: cannot write trace: %s\n", tf, std::strerror(errno));
      return 1;
    }
    std::fclose(f);
    std::remove(probe.c_str());
  }
  g_demo = d;
  g_n = o.n;
  Config cfg;
  cfg.procs = o.procs > 0 ? o.procs : d->procs;
  cfg.program = d->name;
  if (!o.trace.empty()) cfg.trace = o.trace.c_str();
  int code = gmps::run([] { g_demo->main(g_n); }, cfg);
  if (!(tf && *tf)) return code;
  if (!gmps::lastRunStats().traceError.empty()) return code != 0 ? code : 1;  // already said why
  std::fprintf(stderr, "gmpscope: trace written to %s\n", tf);
  return code;
}

}  // namespace gmps::cli
