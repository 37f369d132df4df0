// cmd_tutorial.cpp — `gmpscope tutorial [NN]`: list the tutorials, or run one's demo
// with tracing and open the viewer on it.
#include <cstdio>
#include <set>
#include <string>

#include "commands.h"
#include "demos.h"

namespace gmps::cli {

int cmdTutorial(const std::string& id) {
  if (id.empty()) {
    std::set<std::string> seen;
    for (const demos::Demo& d : demos::all())
      if (seen.insert(d.tutorial).second) std::printf("%s  (demo: %s)\n", d.tutorial, d.name);
    return 0;
  }
  for (const demos::Demo& d : demos::all()) {
    std::string t = d.tutorial;
    if (t.rfind(id, 0) != 0) continue;
    std::string trace = "/tmp/gmpscope-tutorial-" + t + ".jsonl";
    RunOptions ro;
    ro.demo = d.name;
    ro.trace = trace;
    int code = cmdRun(ro);
    if (code != 0) return code;
    ViewOptions vo;
    vo.file = trace;
    vo.tutorial = t;
    return cmdView(vo);
  }
  std::fprintf(stderr, "gmpscope: unknown tutorial \"%s\" (gmpscope tutorial lists them)\n", id.c_str());
  return 1;
}

}  // namespace gmps::cli
