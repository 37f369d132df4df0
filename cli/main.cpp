// gmpscope — run Go-style demo programs with tracing, check and summarise traces,
// and open them in the viewer.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <cstring>
#include <string>

#include "commands.h"

int main(int argc, char** argv) {
  using namespace gmps::cli;
  CLI::App app{"gmpscope: watch a Go-style scheduler (G, M, P) at work"};
  app.require_subcommand(0, 1);

  app.add_subcommand("list", "list the built-in demos");

  RunOptions ro;
  long demoN = 0;
  auto* run = app.add_subcommand("run", "run a demo with tracing");
  run->add_option("demo", ro.demo, "demo name (see `gmpscope list`)")->required();
  run->add_option("--trace", ro.trace, "write the trace to this file (default: $GMPTRACE, or none)");
  run->add_option("--procs", ro.procs, "GOMAXPROCS for this run")->check(CLI::Range(1, 1024));
  run->add_option("--n", demoN, "the demo's size parameter (goroutines, rounds)")->check(CLI::NonNegativeNumber);

  ViewOptions vo;
  std::string size;
  auto* view = app.add_subcommand("view", "open a trace in the viewer");
  view->add_option("file", vo.file, "trace file");
  view->add_option("--screenshot", vo.screenshot, "render one frame to this PNG and exit");
  view->add_option("--size", size, "window size WxH for --screenshot (default 1600x900)");
  view->add_option("--tutorial", vo.tutorial, "open in guided mode for this tutorial, e.g. 03");
  view->add_option("--commands", vo.commands, "view commands to apply, e.g. \"zoom=1ms:2ms; g=7\"");
  view->add_option("--input", vo.input, "scripted mouse/keyboard input (for tests)");
  view->add_option("--bench-frames", vo.benchFrames, "render N frames and print frame-time percentiles")
      ->check(CLI::NonNegativeNumber);

  std::string checkFile;
  auto* check = app.add_subcommand("check", "validate a trace against the G/M/P state machines");
  check->add_option("file", checkFile, "trace file")->required();

  std::string statsFile;
  bool statsJson = false;
  auto* stats = app.add_subcommand("stats", "per-G and per-P figures of a trace");
  stats->add_option("file", statsFile, "trace file")->required();
  stats->add_flag("--json", statsJson, "print JSON");

  std::string tutorialId;
  auto* tut = app.add_subcommand("tutorial", "list the tutorials, or run one and open it in guided mode");
  tut->add_option("id", tutorialId, "tutorial number, e.g. 01");

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    // Name the subcommand whose help to read; a bare number after a demo is most
    // likely its size, which goes in --n.
    std::string cmd = "gmpscope";
    for (const CLI::App* sc : app.get_subcommands()) cmd += " " + sc->get_name();
    const char* last = argv[argc - 1];
    const bool sizeGuess = run->parsed() && dynamic_cast<const CLI::ExtrasError*>(&e) != nullptr &&
                           std::strspn(last, "0123456789") == std::strlen(last);
    if (sizeGuess)
      std::fprintf(stderr, "%s: %s (a demo's size goes in --n: gmpscope run %s --n %s)\n",
                   cmd.c_str(), e.what(), ro.demo.c_str(), last);
    else
      std::fprintf(stderr, "%s: %s (see %s --help)\n", cmd.c_str(), e.what(), cmd.c_str());
    return 1;
  }

  if (app.got_subcommand(run)) {
    ro.n = demoN;
    return cmdRun(ro);
  }
  if (app.got_subcommand(view)) {
    if (!size.empty() && std::sscanf(size.c_str(), "%dx%d", &vo.width, &vo.height) != 2) {
      std::fprintf(stderr, "gmpscope: --size %s: expected WxH, e.g. 1600x900\n", size.c_str());
      return 1;
    }
    return cmdView(vo);
  }
  if (app.got_subcommand(check)) return cmdCheck(checkFile);
  if (app.got_subcommand(stats)) return cmdStats(statsFile, statsJson);
  if (app.got_subcommand(tut)) return cmdTutorial(tutorialId);
  if (app.got_subcommand("list")) return cmdList();
  std::fputs(app.help().c_str(), stdout);
  return 0;
}
