// pingpong — two goroutines hand a value back and forth over unbuffered channels.
// Each send finds the other goroutine parked on the channel (gopark), hands the value
// straight to it and readies it into runnext (goready), so the pair runs on one P,
// sharing its time slice.
#include <cstdio>

#include "../demos.h"
#include "gmpscope/go.h"

GMPS_DEMO("pingpong", "04-channels", 0, "two goroutines bounce a ball N times (default 100) over unbuffered channels") {
  long rounds = n > 0 ? n : 100;
  gmps::Chan<long> ping(0), pong(0);
  gmps::go("ponger", [ping, pong]() mutable {
    for (;;) {
      auto v = ping.recvOpt();
      if (!v) break;
      pong.send(*v + 1);
    }
    pong.close();
  });
  long ball = 0;
  for (long i = 0; i < rounds; i++) {
    ping.send(ball);
    ball = pong.recv();
  }
  ping.close();
  pong.recvOpt();  // wait for the ponger to finish
  std::printf("ball came back %ld times, value %ld\n", rounds, ball);
}
