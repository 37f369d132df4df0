// tween.h — short animations of the scheduler panel's G tokens between two states.
//
// When the play head moves by a few events, every token that changed place slides
// from where it was drawn to its new place (runnext → running, a stolen half of a
// queue flying to the thief, a runqputslow batch going to the global queue, a queue
// shifting up when its head is taken). Tokens that appear fade in, tokens that leave
// (a G blocked, ended, entered a syscall) fade out where they were. A move that
// arrives mid-animation starts from what is on screen, so fast play stays smooth.
// Pure (no ImGui; time is passed in), unit-tested.
#pragma once

#include <span>
#include <vector>

#include "core/sched_layout.h"

namespace gmps::viewer {

struct DrawnToken {
  int32_t g;
  Box box;
  float alpha;    // 0..1
  bool leaving;   // fading out: no longer in the state
};

class TokenTweens {
 public:
  // snap shows `to` at once (a seek, a resize).
  void snap(std::span<const TokenBox> to);
  // retarget animates from what is drawn at `now` to `to` over `seconds` (0: snap).
  void retarget(std::span<const TokenBox> to, double now, double seconds);
  // sample fills out with every token to draw at `now`, sorted by g.
  void sample(double now, std::vector<DrawnToken>& out) const;
  // moving: an animation is still running at `now`.
  bool moving(double now) const { return dur_ > 0 && now < start_ + dur_; }
  // progress: 0..1 through the current animation (1 when none).
  float progress(double now) const;
  // sameTargets: `to` is exactly where the tokens are headed (no retarget needed).
  bool sameTargets(std::span<const TokenBox> to) const;

 private:
  struct Item {
    int32_t g;
    Box from, to;
    float a0, a1;
  };
  static Box lerp(const Box& a, const Box& b, float t);
  std::vector<Item> items_;  // sorted by g
  double start_ = 0, dur_ = 0;
};

// easeInOut: the curve of every move (cubic, slow at both ends).
float easeInOut(float t);

}  // namespace gmps::viewer
