#include "core/tween.h"

#include <algorithm>

namespace gmps::viewer {

float easeInOut(float t) {
  t = std::clamp(t, 0.f, 1.f);
  return t < 0.5f ? 4 * t * t * t : 1 - (-2 * t + 2) * (-2 * t + 2) * (-2 * t + 2) / 2;
}

Box TokenTweens::lerp(const Box& a, const Box& b, float t) {
  auto l = [t](float x, float y) { return x + (y - x) * t; };
  return Box{l(a.x0, b.x0), l(a.y0, b.y0), l(a.x1, b.x1), l(a.y1, b.y1)};
}

float TokenTweens::progress(double now) const {
  if (dur_ <= 0) return 1.f;
  return float(std::clamp((now - start_) / dur_, 0.0, 1.0));
}

void TokenTweens::snap(std::span<const TokenBox> to) {
  items_.clear();
  items_.reserve(to.size());
  for (const TokenBox& t : to) items_.push_back({t.g, t.box, t.box, 1.f, 1.f});
  dur_ = 0;
}

void TokenTweens::retarget(std::span<const TokenBox> to, double now, double seconds) {
  if (seconds <= 0) {
    snap(to);
    return;
  }
  std::vector<DrawnToken> shown;
  sample(now, shown);
  std::vector<Item> next;
  next.reserve(to.size() + shown.size());
  // Both lists are sorted by g: merge them.
  size_t i = 0;
  for (const TokenBox& t : to) {
    while (i < shown.size() && shown[i].g < t.g) {
      if (shown[i].alpha > 0.01f) next.push_back({shown[i].g, shown[i].box, shown[i].box, shown[i].alpha, 0.f});
      i++;
    }
    if (i < shown.size() && shown[i].g == t.g && !shown[i].leaving) {
      next.push_back({t.g, shown[i].box, t.box, shown[i].alpha, 1.f});
      i++;
      continue;
    }
    if (i < shown.size() && shown[i].g == t.g) i++;  // was fading out: comes back in place
    Box from = t.box;
    from.y0 -= 6, from.y1 -= 6;
    next.push_back({t.g, from, t.box, 0.f, 1.f});
  }
  for (; i < shown.size(); i++)
    if (shown[i].alpha > 0.01f) next.push_back({shown[i].g, shown[i].box, shown[i].box, shown[i].alpha, 0.f});
  items_ = std::move(next);
  start_ = now;
  dur_ = seconds;
}

void TokenTweens::sample(double now, std::vector<DrawnToken>& out) const {
  out.clear();
  out.reserve(items_.size());
  float e = easeInOut(progress(now));
  for (const Item& it : items_) {
    float a = it.a0 + (it.a1 - it.a0) * e;
    if (it.a1 == 0 && a <= 0.f) continue;
    out.push_back({it.g, lerp(it.from, it.to, e), a, it.a1 == 0});
  }
}

bool TokenTweens::sameTargets(std::span<const TokenBox> to) const {
  size_t live = 0;
  for (const Item& it : items_) live += it.a1 > 0;
  if (live != to.size()) return false;
  size_t j = 0;
  for (const Item& it : items_) {
    if (it.a1 == 0) continue;
    if (it.g != to[j].g || !(it.to == to[j].box)) return false;
    j++;
  }
  return true;
}

}  // namespace gmps::viewer
