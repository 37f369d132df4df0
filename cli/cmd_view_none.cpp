// cmd_view_none.cpp — `gmpscope view` in a build without the viewer
// (-DGMPSCOPE_BUILD_VIEWER=OFF, e.g. the sanitizer build).
#include <cstdio>

#include "commands.h"

namespace gmps::cli {

int cmdView(const ViewOptions&) {
  std::fprintf(stderr, "gmpscope: this build has no viewer (configure with -DGMPSCOPE_BUILD_VIEWER=ON)\n");
  return 1;
}

}  // namespace gmps::cli
