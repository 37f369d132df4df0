// cmd_tutorial.cpp — `gmpscope tutorial [NN]`: list the tutorials, or run one's demo
// with the tutorial's own settings (GOMAXPROCS, size, GMPDEBUG) and open the viewer
// on the fresh trace in guided mode.
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "commands.h"
#include "gmpscope/guide/guide.h"

namespace gmps::cli {

namespace {

// tutorialsDir finds tutorials/: $GMPSCOPE_TUTORIALS, ./tutorials, or the source tree.
std::string tutorialsDir() {
  if (const char* d = std::getenv("GMPSCOPE_TUTORIALS"); d && *d) return d;
  if (std::filesystem::exists("tutorials/01-startup/steps.json")) return "tutorials";
  return GMPSCOPE_SOURCE_DIR "/tutorials";
}

}  // namespace

int cmdTutorial(const std::string& id) {
  std::string dir = tutorialsDir();
  guide::Catalog cat = guide::loadCatalog(dir);
  for (const std::string& e : cat.errors) std::fprintf(stderr, "gmpscope: %s\n", e.c_str());
  if (cat.tutorials.empty()) {
    std::fprintf(stderr, "gmpscope: no tutorials found in %s (set GMPSCOPE_TUTORIALS)\n", dir.c_str());
    return 1;
  }
  if (id.empty()) {
    for (const guide::Tutorial& t : cat.tutorials)
      std::printf("%s  %-28s %s (demo: %s)\n", t.id.c_str(), t.slug.c_str(), t.title.c_str(),
                  t.runs.empty() ? "-" : t.runs[0].demo.c_str());
    std::printf("\nRun one with: gmpscope tutorial NN\n");
    return 0;
  }
  const guide::Tutorial* t = cat.find(id);
  if (t == nullptr || t->runs.empty()) {
    std::fprintf(stderr, "gmpscope: unknown tutorial \"%s\" (gmpscope tutorial lists them)\n", id.c_str());
    return 1;
  }
  const guide::Run& run = t->runs[0];
  for (const auto& [k, v] : run.env) setenv(k.c_str(), v.c_str(), 1);
  std::string trace = (std::filesystem::temp_directory_path() / ("gmpscope-tutorial-" + t->slug + ".jsonl")).string();
  RunOptions ro;
  ro.demo = run.demo;
  ro.trace = trace;
  ro.procs = run.procs;
  ro.n = run.n;
  int code = cmdRun(ro);
  if (code != 0 && run.demo != "deadlock") return code;
  ViewOptions vo;
  vo.file = trace;
  vo.tutorial = t->id;
  return cmdView(vo);
}

}  // namespace gmps::cli
