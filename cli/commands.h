// commands.h — the gmpscope subcommands. Each returns the process exit code and
// prints one clear line on stderr for bad input.
#pragma once

#include <string>

namespace gmps::cli {

struct RunOptions {
  std::string demo;
  std::string trace;  // empty: no trace unless GMPTRACE is set
  int procs = 0;      // 0: GOMAXPROCS or the CPU count
  long n = 0;         // the demo's size parameter (0: its default)
};

struct ViewOptions {
  std::string file;        // trace to open; empty: start with the file browser
  std::string screenshot;  // non-empty: render one frame to this PNG and exit
  int width = 1600, height = 900;
  std::string tutorial;    // non-empty: guided mode for this tutorial id
  std::string commands;    // view commands applied after loading, e.g. "zoom=1ms:2ms; g=7"
  std::string input;       // scripted input for tests
  int benchFrames = 0;     // > 0: render this many frames and print frame-time percentiles
};

int cmdList();
int cmdRun(const RunOptions& o);
int cmdCheck(const std::string& path);
int cmdStats(const std::string& path, bool json);
int cmdView(const ViewOptions& o);
int cmdTutorial(const std::string& id);

}  // namespace gmps::cli
