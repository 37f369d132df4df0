// chan.h — Go channels for any movable type: Chan<T> is a reference to a channel,
// copied as cheaply as Go's chan value. A default-constructed Chan is nil: sends and
// receives on it block forever, as in Go.
//
//   gmps::Chan<int> ch(3);         // make(chan int, 3); Chan<int>(0) is unbuffered
//   ch.send(42);                   // ch <- 42
//   int v = ch.recv();             // v := <-ch   (T{} once closed and drained)
//   auto [w, ok] = ch.recvOk();    // w, ok := <-ch
//   ch.close();                    // close(ch)
#pragma once

#include <cstddef>
#include <new>
#include <optional>
#include <type_traits>
#include <utility>

namespace gmps {
namespace rt {
struct hchan;

// ElemType tells the type-erased channel code how to move and destroy one element.
struct ElemType {
  size_t size;
  size_t align;
  void (*moveInit)(void* dst, void* src);  // construct *dst from std::move(*src)
  void (*destroy)(void* p);
};

template <typename T>
inline constexpr ElemType elemTypeOf{
    sizeof(T), alignof(T), [](void* d, void* s) { ::new (d) T(std::move(*static_cast<T*>(s))); },
    [](void* p) { static_cast<T*>(p)->~T(); }};

hchan* makechan(const ElemType* t, size_t size);
void chanRetain(hchan* c);
void chanRelease(hchan* c);
void chansend(hchan* c, void* ep);        // Go: chan.go chansend (blocking)
bool chanrecv(hchan* c, void* ep);        // Go: chan.go chanrecv; false: closed and empty
bool selectnbsend(hchan* c, void* ep);    // non-blocking send; true if sent
bool selectnbrecv(hchan* c, void* ep, bool* received);  // true if a case was ready
void closechan(hchan* c);                 // Go: chan.go closechan
size_t chanlen(hchan* c);
size_t chancap(hchan* c);
}  // namespace rt

template <typename T>
class Chan {
  static_assert(std::is_move_constructible_v<T>, "channel elements must be movable");

 public:
  Chan() = default;  // nil channel
  explicit Chan(size_t capacity) : c_(rt::makechan(&rt::elemTypeOf<T>, capacity)) {}
  Chan(const Chan& o) : c_(o.c_) {
    if (c_) rt::chanRetain(c_);
  }
  Chan(Chan&& o) noexcept : c_(std::exchange(o.c_, nullptr)) {}
  Chan& operator=(Chan o) noexcept {
    std::swap(c_, o.c_);
    return *this;
  }
  ~Chan() {
    if (c_) rt::chanRelease(c_);
  }

  void send(T v) { rt::chansend(c_, &v); }

  // recvOpt receives a value, or nullopt once the channel is closed and drained.
  std::optional<T> recvOpt() {
    Slot s;
    if (!rt::chanrecv(c_, s.p())) return std::nullopt;
    return s.take();
  }
  std::pair<T, bool> recvOk() {
    static_assert(std::is_default_constructible_v<T>, "recvOk needs a default value; use recvOpt");
    std::optional<T> v = recvOpt();
    if (!v) return {T{}, false};
    return {std::move(*v), true};
  }
  T recv() { return recvOk().first; }

  // trySend and tryRecv are select with one case and a default.
  bool trySend(T v) { return rt::selectnbsend(c_, &v); }
  // tryRecv: nullopt if nothing was ready; an empty inner optional if closed.
  std::optional<std::optional<T>> tryRecv() {
    Slot s;
    bool received = false;
    if (!rt::selectnbrecv(c_, s.p(), &received)) return std::nullopt;
    if (!received) return std::optional<T>{};
    return std::optional<T>{s.take()};
  }

  void close() { rt::closechan(c_); }
  size_t len() const { return c_ ? rt::chanlen(c_) : 0; }
  size_t cap() const { return c_ ? rt::chancap(c_) : 0; }
  bool nil() const { return c_ == nullptr; }
  rt::hchan* raw() const { return c_; }

  // Slot is uninitialised storage a receive constructs a T in.
  struct Slot {
    alignas(T) unsigned char buf[sizeof(T)];
    void* p() { return buf; }
    T take() {
      T* t = std::launder(reinterpret_cast<T*>(buf));
      T v(std::move(*t));
      t->~T();
      return v;
    }
  };

 private:
  rt::hchan* c_ = nullptr;
};

}  // namespace gmps
