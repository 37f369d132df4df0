// gmpscope-guide — the tutorials' files from the command line.
//
//   gmpscope-guide runs ROOT          one line per run of every tutorial, tab-separated:
//                                     slug, run, trace, demo, procs, n, env ("K=V K=V" or -)
//                                     (scripts/make-traces.sh reads this)
//   gmpscope-guide check ROOT         validate every steps.json and the walkthrough, load
//                                     every committed trace, resolve every jump
//   gmpscope-guide show ROOT NN       each step of tutorial NN and the event it jumps to
//   gmpscope-guide show ROOT startup  the same for the startup walkthrough
//   gmpscope-guide viewcmds ROOT NN   per step: its number (1-based), its run's trace and
//                                     the `gmpscope view --commands` that show it
//                                     (make-traces.sh renders README screenshots with it)
//
// ROOT is the repository root (the folder holding tutorials/ and traces/).
#include <cstdio>
#include <string>

#include "gmpscope/guide/guide.h"
#include "gmpscope/guide/verify.h"

namespace {

using namespace gmps::guide;

int usage() {
  std::fprintf(stderr,
               "usage: gmpscope-guide runs ROOT | check ROOT | show ROOT NN|startup | viewcmds ROOT NN\n"
               "  ROOT is the repository root (it holds tutorials/ and traces/)\n");
  return 1;
}

Catalog catalogOrDie(const std::string& root, bool* ok) {
  Catalog c = loadCatalog(root + "/tutorials");
  for (const std::string& e : c.errors) std::fprintf(stderr, "%s\n", e.c_str());
  *ok = c.errors.empty();
  return c;
}

int cmdRuns(const std::string& root) {
  bool ok;
  Catalog c = catalogOrDie(root, &ok);
  if (!ok) return 1;
  for (const Tutorial& t : c.tutorials) {
    for (const Run& r : t.runs) {
      std::string env;
      for (const auto& [k, v] : r.env) env += (env.empty() ? "" : " ") + k + "=" + v;
      std::printf("%s\t%s\t%s\t%s\t%d\t%ld\t%s\n", t.slug.c_str(), r.name.c_str(), r.trace.c_str(),
                  r.demo.c_str(), r.procs, r.n, env.empty() ? "-" : env.c_str());
    }
  }
  return 0;
}

int cmdCheck(const std::string& root) {
  bool ok;
  Catalog c = catalogOrDie(root, &ok);
  TraceCache traces(root);
  int problems = ok ? 0 : 1;
  size_t steps = 0;
  for (const Tutorial& t : c.tutorials) {
    auto ps = verifyTutorial(t, traces);
    for (const std::string& p : ps) std::fprintf(stderr, "%s\n", p.c_str());
    problems += int(ps.size());
    steps += t.steps.size();
  }
  Loaded<Walkthrough> w = loadWalkthrough(root + "/tutorials/startup_walkthrough.json");
  if (!w.ok()) {
    std::fprintf(stderr, "%s\n", w.error.c_str());
    problems++;
  } else {
    auto ps = verifyWalkthrough(*w.value, traces);
    for (const std::string& p : ps) std::fprintf(stderr, "%s\n", p.c_str());
    problems += int(ps.size());
  }
  if (problems != 0) {
    std::fprintf(stderr, "gmpscope-guide: %d problem(s)\n", problems);
    return 1;
  }
  std::printf("ok: %zu tutorials, %zu steps and %zu walkthrough steps resolve in their traces\n",
              c.tutorials.size(), steps, w.value->steps.size());
  return 0;
}

void showOne(const std::string& title, const Jump& j, const gmps::model::TraceModel* m) {
  std::printf("* %s\n    jump: %s [%s]\n", title.c_str(), describe(j).c_str(), panelName(j.panel));
  if (m == nullptr) return;
  Resolved r = resolve(j, *m);
  if (!r.ok()) {
    std::printf("    ERROR: %s\n", r.error.c_str());
    return;
  }
  std::printf("    -> line %lld at %s: %s\n", static_cast<long long>(m->lineOf(r.event)),
              formatDuration(r.time).c_str(), m->formatEvent(r.event).c_str());
}

int cmdShow(const std::string& root, const std::string& which) {
  TraceCache traces(root);
  std::string err;
  if (which == "startup") {
    Loaded<Walkthrough> w = loadWalkthrough(root + "/tutorials/startup_walkthrough.json");
    if (!w.ok()) {
      std::fprintf(stderr, "%s\n", w.error.c_str());
      return 1;
    }
    const gmps::model::TraceModel* m = traces.get(w.value->trace, &err);
    if (m == nullptr) std::fprintf(stderr, "%s\n", err.c_str());
    for (const WalkStep& s : w.value->steps) showOne(s.id + ": " + s.title, s.jump, m);
    return 0;
  }
  bool ok;
  Catalog c = catalogOrDie(root, &ok);
  const Tutorial* t = c.find(which);
  if (t == nullptr) {
    std::fprintf(stderr, "gmpscope-guide: no tutorial \"%s\"\n", which.c_str());
    return 1;
  }
  std::printf("%s: %s\n", t->slug.c_str(), t->title.c_str());
  for (const Step& s : t->steps) {
    const Run* r = t->run(s.jump.run);
    const gmps::model::TraceModel* m = traces.get(r->trace, &err);
    if (m == nullptr) std::fprintf(stderr, "%s\n", err.c_str());
    showOne(s.title + (s.jump.run.empty() ? "" : " (run " + s.jump.run + ")"), s.jump, m);
  }
  return 0;
}

// viewCommands renders a resolved jump in the viewer's command language
// (viewer/app/src/core/commands.h): select the event, zoom to the window, highlight.
std::string viewCommands(const Resolved& r, const gmps::model::TraceModel& m) {
  std::string c = "event=" + std::to_string(r.event);
  if (r.window > 0) {
    Ns t0 = r.time - r.window / 2, t1 = r.time + r.window / 2;
    if (t1 - t0 >= m.endTime() - m.startTime()) {  // wider than the trace: all of it
      t0 = m.startTime();
      t1 = m.endTime();
    } else if (t0 < m.startTime()) {  // keep the window inside the trace, as the viewer does
      t1 += m.startTime() - t0;
      t0 = m.startTime();
    } else if (t1 > m.endTime()) {
      t0 -= t1 - m.endTime();
      t1 = m.endTime();
    }
    if (t1 > t0) c += "; zoom=" + std::to_string(t0) + ":" + std::to_string(t1);
  }
  if (r.goroutine >= 0) c += "; g=" + std::to_string(r.goroutine);
  // The viewer's panel=NAME takes the steps' panel names (and opens the bottom panel).
  if (r.panel != Panel::Timeline) c += std::string("; panel=") + panelName(r.panel);
  return c;
}

int cmdViewCommands(const std::string& root, const std::string& which) {
  bool ok;
  Catalog c = catalogOrDie(root, &ok);
  const Tutorial* t = c.find(which);
  if (t == nullptr) {
    std::fprintf(stderr, "gmpscope-guide: no tutorial \"%s\"\n", which.c_str());
    return 1;
  }
  TraceCache traces(root);
  int bad = 0;
  for (size_t i = 0; i < t->steps.size(); i++) {
    const Run* r = t->run(t->steps[i].jump.run);
    std::string err;
    const gmps::model::TraceModel* m = traces.get(r->trace, &err);
    if (m == nullptr) {
      std::fprintf(stderr, "%s\n", err.c_str());
      return 1;
    }
    Resolved res = resolve(t->steps[i].jump, *m);
    if (!res.ok()) {
      std::fprintf(stderr, "%s: steps[%zu]: %s\n", t->file.c_str(), i, res.error.c_str());
      bad++;
      continue;
    }
    std::printf("%zu\t%s\t%s\n", i + 1, r->trace.c_str(), viewCommands(res, *m).c_str());
  }
  return bad ? 1 : 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) return usage();
  std::string cmd = argv[1], root = argv[2];
  if (cmd == "runs" && argc == 3) return cmdRuns(root);
  if (cmd == "check" && argc == 3) return cmdCheck(root);
  if (cmd == "show" && argc == 4) return cmdShow(root, argv[3]);
  if (cmd == "viewcmds" && argc == 4) return cmdViewCommands(root, argv[3]);
  return usage();
}
