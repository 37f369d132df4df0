// primes — the concurrent prime sieve from the Go tour, on gmpscope's runtime: a
// chain of goroutines, each filtering multiples of one prime, linked by channels.
// Run with GMPTRACE=primes.jsonl to watch the chain in the viewer.
#include <gmpscope/go.h>

#include <cstdio>
#include <cstdlib>

namespace {

// generate sends 2, 3, 4, ... to ch.
void generate(gmps::Chan<int> ch) {
  for (int i = 2;; i++) ch.send(i);
}

// filter copies values from in to out, removing those divisible by prime.
void filter(gmps::Chan<int> in, gmps::Chan<int> out, int prime) {
  for (;;) {
    int i = in.recv();
    if (i % prime != 0) out.send(i);
  }
}

int count = 20;

}  // namespace

int main(int argc, char** argv) {
  if (argc > 1) count = std::atoi(argv[1]);
  if (count <= 0) {
    std::fprintf(stderr, "usage: primes [N>0]\n");
    return 1;
  }
  return gmps::run([] {
    gmps::Chan<int> ch(0);
    gmps::go("generate", [ch] { generate(ch); });
    for (int i = 0; i < count; i++) {
      int prime = ch.recv();
      std::printf("%d\n", prime);
      gmps::Chan<int> next(0);
      gmps::go("filter", [ch, next, prime] { filter(ch, next, prime); });
      ch = next;
    }
  });
}
