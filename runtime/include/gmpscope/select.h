// select.h — Go's select statement: wait on several channel operations, run the one
// that proceeds. Among ready cases one is chosen uniformly at random, as in Go.
//
//   int i = gmps::select(
//       gmps::Recv(in, [&](int v, bool ok) { ... }),   // case v, ok := <-in:
//       gmps::Send(out, 7, [&] { ... }),               // case out <- 7:
//       gmps::Default([&] { ... }));                   // default:
//
// select returns the position of the case that ran. Without Default it blocks; with
// no cases at all it blocks forever (Go's select {}). Nil channels never proceed.
#pragma once

#include <array>
#include <functional>
#include <tuple>
#include <utility>

#include "gmpscope/chan.h"

namespace gmps {
namespace rt {
struct scase {
  hchan* c;
  void* elem;
};
// selectgo: cases[0, nsends) are sends, [nsends, nsends+nrecvs) receives. Returns the
// chosen index and sets *recvOK for a receive; -1 if !block and none was ready.
// Go: select.go selectgo.
int selectgo(scase* cases, int nsends, int nrecvs, bool block, bool* recvOK);
}  // namespace rt

template <typename T, typename F>
struct RecvCase {
  static constexpr int kind = 1;
  Chan<T>& ch;
  F f;
  typename Chan<T>::Slot slot;
  void fire(bool ok) {
    if (!ok) {
      if constexpr (std::is_invocable_v<F, T, bool>) {
        f(T{}, false);
      } else if constexpr (std::is_invocable_v<F, T>) {
        f(T{});
      } else {
        f();
      }
      return;
    }
    T v = slot.take();
    if constexpr (std::is_invocable_v<F, T, bool>) {
      f(std::move(v), true);
    } else if constexpr (std::is_invocable_v<F, T>) {
      f(std::move(v));
    } else {
      f();
    }
  }
};

template <typename T, typename F>
struct SendCase {
  static constexpr int kind = 0;
  Chan<T>& ch;
  T v;
  F f;
  void fire(bool) { f(); }
};

template <typename F>
struct DefaultCase {
  static constexpr int kind = 2;
  F f;
  void fire(bool) { f(); }
};

template <typename T, typename F>
RecvCase<T, F> Recv(Chan<T>& ch, F f) {
  return RecvCase<T, F>{ch, std::move(f), {}};
}
template <typename T, typename V, typename F>
SendCase<T, F> Send(Chan<T>& ch, V&& v, F f) {
  return SendCase<T, F>{ch, T(std::forward<V>(v)), std::move(f)};
}
template <typename F>
DefaultCase<F> Default(F f) {
  return DefaultCase<F>{std::move(f)};
}

template <typename... Cs>
int select(Cs&&... cases) {
  constexpr int n = sizeof...(Cs);
  constexpr int nsends = ((std::decay_t<Cs>::kind == 0 ? 1 : 0) + ... + 0);
  constexpr int nrecvs = ((std::decay_t<Cs>::kind == 1 ? 1 : 0) + ... + 0);
  constexpr int ndefault = ((std::decay_t<Cs>::kind == 2 ? 1 : 0) + ... + 0);
  static_assert(ndefault <= 1, "select: multiple defaults");
  std::array<rt::scase, nsends + nrecvs + 1> sc{};
  std::array<int, nsends + nrecvs + 1> orig{};  // scase index -> argument position
  int si = 0, ri = nsends, pos = 0;
  [[maybe_unused]] auto place = [&](auto& c) {  // (unused when there are no cases)
    using C = std::decay_t<decltype(c)>;
    if constexpr (C::kind == 0) {
      sc[si] = {c.ch.raw(), &c.v};
      orig[si++] = pos;
    } else if constexpr (C::kind == 1) {
      sc[ri] = {c.ch.raw(), c.slot.p()};
      orig[ri++] = pos;
    }
    pos++;
  };
  (place(cases), ...);
  bool recvOK = false;
  int chosen = rt::selectgo(sc.data(), nsends, nrecvs, ndefault == 0, &recvOK);
  int target = -1;
  if (chosen >= 0) {
    target = orig[chosen];
  } else {
    int p = 0;
    ((std::decay_t<Cs>::kind == 2 ? (target = p, p++) : p++), ...);
  }
  int p = 0;
  ((p++ == target ? (cases.fire(recvOK), 0) : 0), ...);
  (void)n;
  return target;
}

}  // namespace gmps
