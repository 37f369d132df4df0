// viewer_bench.cpp — frame-time benchmark of the viewer (not a test):
//   viewer_bench FILE [FRAMES=600] [WxH=1600x900]
// Run under xvfb-run. Loads FILE, then renders FRAMES frames sweeping the zoom from
// the whole trace down to 0.05 ns per pixel and back while scrolling the lanes, and
// prints frame-time percentiles. `GMPSCOPE_BENCH_FRAMES=N gmpscope view FILE` does
// the same through the CLI.
#include <cstdio>
#include <cstdlib>

#include "gmpscope/viewer/viewer.h"

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: viewer_bench FILE [FRAMES] [WxH]\n");
    return 1;
  }
  gmps::viewer::Options o;
  o.file = argv[1];
  o.benchFrames = argc > 2 ? std::atoi(argv[2]) : 600;
  if (argc > 3 && std::sscanf(argv[3], "%dx%d", &o.width, &o.height) != 2) {
    std::fprintf(stderr, "viewer_bench: %s: expected WxH\n", argv[3]);
    return 1;
  }
  if (o.benchFrames <= 0) {
    std::fprintf(stderr, "viewer_bench: FRAMES must be positive\n");
    return 1;
  }
  return gmps::viewer::run(o);
}
