// hello — the classic first program. Its trace is almost nothing but the startup
// sequence: rt0_go, check, args, osinit, schedinit, newproc(runtime.main), mstart,
// runtime.main, sysmon, the init steps, main_main and exit.
#include <cstdio>

#include "../demos.h"
#include "gmpscope/go.h"

GMPS_DEMO("hello", "01-startup", 0, "hello, world: just the runtime's startup sequence") {
  (void)n;
  std::printf("hello, world\n");
}
