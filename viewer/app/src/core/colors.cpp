#include "core/colors.h"

#include <algorithm>
#include <cmath>
#include <iterator>

namespace gmps::viewer {
namespace {

int clamp8(float v) { return std::clamp(int(std::lround(v)), 0, 255); }

float linear(int c8) {
  float c = float(c8) / 255.0f;
  return c <= 0.03928f ? c / 12.92f : std::pow((c + 0.055f) / 1.055f, 2.4f);
}

// The state colours are shared by both palettes: a learner who knows green means
// running should not relearn it when switching theme.
void setStates(Palette& p) {
  p.gState[int(GState::Runnable)] = rgba(226, 172, 40);  // amber: waiting for a P
  p.gState[int(GState::Running)] = rgba(84, 184, 92);    // green
  p.gState[int(GState::Blocked)] = rgba(96, 140, 232);   // blue
  p.gState[int(GState::Syscall)] = rgba(236, 118, 62);   // orange
  const Rgba reasons[10] = {
      rgba(96, 140, 232),   // chan send
      rgba(72, 168, 236),   // chan receive
      rgba(132, 116, 236),  // select
      rgba(110, 110, 150),  // select (no cases)
      rgba(120, 120, 160),  // chan send (nil chan)
      rgba(120, 120, 160),  // chan receive (nil chan)
      rgba(206, 96, 206),   // sync.Mutex.Lock
      rgba(166, 126, 232),  // sync.WaitGroup.Wait
      rgba(120, 170, 200),  // sleep
      rgba(60, 186, 176),   // IO wait
  };
  std::copy(std::begin(reasons), std::end(reasons), p.blockReason);
  p.mState[int(MState::Running)] = rgba(84, 184, 92);
  p.mState[int(MState::Spinning)] = rgba(64, 200, 232);
  p.mState[int(MState::Parked)] = rgba(104, 110, 124);
  p.mState[int(MState::Syscall)] = rgba(236, 118, 62);
  p.mState[int(MState::Sysmon)] = rgba(180, 108, 226);
  p.mState[int(MState::Idle)] = rgba(70, 74, 84);
  p.runqLocal = rgba(226, 172, 40);
  p.runqRunnext = rgba(255, 222, 120);
  p.runqGlobal = rgba(214, 140, 44);
  p.sysmonTick = rgba(150, 156, 170);
  p.sysmonPreempt = rgba(240, 72, 96);
  p.sysmonRetake = rgba(236, 118, 62);
  p.flowCreate = rgba(156, 214, 100);
  p.flowUnblock = rgba(110, 180, 250);
  p.flowSteal = rgba(255, 100, 100);
  p.flowPreempt = rgba(240, 72, 96);
  p.flowHandoff = rgba(236, 150, 62);
  p.error = rgba(255, 90, 90);
}

Palette makeDark() {
  Palette p{};
  p.canvas = rgba(27, 30, 36);  // also the window background: lanes need no fill of their own
  p.laneAlt = rgba(34, 38, 45);
  p.grid = rgba(44, 48, 57);
  p.gridMajor = rgba(64, 70, 82);
  p.rulerBg = rgba(36, 39, 46);
  p.rulerText = rgba(230, 232, 236);
  p.laneLabel = rgba(220, 224, 230);
  p.groupHeader = rgba(46, 52, 64);
  p.text = rgba(236, 238, 242);
  p.textDim = rgba(160, 166, 178);
  p.selection = rgba(255, 255, 255);
  p.highlightG = rgba(255, 214, 80);
  p.hover = rgba(255, 255, 255, 60);
  p.measure = rgba(120, 180, 255, 60);
  p.pIdle = rgba(56, 60, 70);
  p.folded = rgba(128, 134, 146);
  p.foldedHatch = rgba(88, 92, 102);
  setStates(p);
  return p;
}

Palette makeLight() {
  Palette p{};
  p.canvas = rgba(248, 248, 250);
  p.laneAlt = rgba(238, 240, 244);
  p.grid = rgba(222, 225, 232);
  p.gridMajor = rgba(190, 195, 205);
  p.rulerBg = rgba(228, 231, 237);
  p.rulerText = rgba(20, 22, 28);
  p.laneLabel = rgba(28, 30, 36);
  p.groupHeader = rgba(214, 219, 228);
  p.text = rgba(16, 18, 24);
  p.textDim = rgba(90, 96, 108);
  p.selection = rgba(0, 0, 0);
  p.highlightG = rgba(200, 40, 160);
  p.hover = rgba(0, 0, 0, 40);
  p.measure = rgba(40, 110, 230, 50);
  p.pIdle = rgba(206, 210, 218);
  p.folded = rgba(150, 154, 164);
  p.foldedHatch = rgba(118, 122, 132);
  setStates(p);
  return p;
}

}  // namespace

Rgba withAlpha(Rgba c, int a) { return (c & 0x00ffffffu) | (uint32_t(std::clamp(a, 0, 255)) << 24); }

Rgba scale(Rgba c, float f) {
  return rgba(clamp8(float(red(c)) * f), clamp8(float(green(c)) * f), clamp8(float(blue(c)) * f),
              alpha(c));
}

Rgba mix(Rgba a, Rgba b, float t) {
  auto m = [t](int x, int y) { return clamp8(float(x) + (float(y) - float(x)) * t); };
  return rgba(m(red(a), red(b)), m(green(a), green(b)), m(blue(a), blue(b)),
              m(alpha(a), alpha(b)));
}

Rgba hsv(float h, float s, float v, int a) {
  h = h - std::floor(h);
  float hh = h * 6.0f;
  int i = int(hh) % 6;
  float f = hh - std::floor(hh);
  float p = v * (1 - s), q = v * (1 - s * f), t = v * (1 - s * (1 - f));
  float r = 0, g = 0, b = 0;
  switch (i) {
    case 0: r = v, g = t, b = p; break;
    case 1: r = q, g = v, b = p; break;
    case 2: r = p, g = v, b = t; break;
    case 3: r = p, g = q, b = v; break;
    case 4: r = t, g = p, b = v; break;
    default: r = v, g = p, b = q; break;
  }
  return rgba(clamp8(r * 255), clamp8(g * 255), clamp8(b * 255), a);
}

float luminance(Rgba c) {
  return 0.2126f * linear(red(c)) + 0.7152f * linear(green(c)) + 0.0722f * linear(blue(c));
}

float contrastRatio(Rgba a, Rgba b) {
  float la = luminance(a), lb = luminance(b);
  if (la < lb) std::swap(la, lb);
  return (la + 0.05f) / (lb + 0.05f);
}

Rgba textOn(Rgba bg) {
  const Rgba black = rgba(12, 12, 14), white = rgba(250, 250, 250);
  return contrastRatio(bg, black) >= contrastRatio(bg, white) ? black : white;
}

Rgba gColor(int64_t gid) {
  if (gid < 0) return rgba(128, 128, 128);
  double h = std::fmod(0.13 + double(gid) * 0.6180339887498949, 1.0);
  // Alternate two value/saturation bands so hue neighbours still differ.
  bool band = (gid / 3) % 2 == 0;
  Rgba c = hsv(float(h), band ? 0.55f : 0.42f, band ? 0.90f : 0.80f);
  // Blues and purples come out darker than the rest: lighten them until a label on
  // them reads at WCAG AA (4.5:1).
  for (int i = 0; i < 10 && contrastRatio(c, textOn(c)) < 4.6f; i++) c = mix(c, rgba(255, 255, 255), 0.1f);
  return c;
}

const Palette& darkPalette() {
  static const Palette p = makeDark();  // immutable table, not state
  return p;
}

const Palette& lightPalette() {
  static const Palette p = makeLight();
  return p;
}

}  // namespace gmps::viewer
