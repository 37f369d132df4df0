// colors.h — every colour the timeline paints, in one place.
//
// Colours are packed exactly like ImGui's IM_COL32 (0xAABBGGRR) so they go straight
// to the draw list, while this header stays free of ImGui and is unit-tested (and
// used by the screenshot tests to know what colour a lane must have).
#pragma once

#include <cstdint>

namespace gmps::viewer {

using Rgba = uint32_t;

constexpr Rgba rgba(int r, int g, int b, int a = 255) {
  return (uint32_t(a) << 24) | (uint32_t(b) << 16) | (uint32_t(g) << 8) | uint32_t(r);
}
constexpr int red(Rgba c) { return int(c & 0xff); }
constexpr int green(Rgba c) { return int((c >> 8) & 0xff); }
constexpr int blue(Rgba c) { return int((c >> 16) & 0xff); }
constexpr int alpha(Rgba c) { return int(c >> 24); }

Rgba withAlpha(Rgba c, int a);
// scale multiplies r, g, b by f (f < 1 darkens, f > 1 brightens, clamped).
Rgba scale(Rgba c, float f);
Rgba mix(Rgba a, Rgba b, float t);
Rgba hsv(float h, float s, float v, int a = 255);
// luminance is the relative luminance (0..1) of c, as WCAG defines it.
float luminance(Rgba c);
// contrastRatio is the WCAG contrast ratio between two opaque colours (1..21).
float contrastRatio(Rgba a, Rgba b);
// textOn returns black or white, whichever reads better on bg.
Rgba textOn(Rgba bg);

// gColor is the colour of goroutine gid in P and M lanes: hues spread by the golden
// ratio so neighbouring ids never look alike. Stable across runs.
Rgba gColor(int64_t gid);

// The states a G lane shows (one colour each; Blocked is refined by reason).
enum class GState : uint8_t { Runnable, Running, Blocked, Syscall, Count };
// The states an M lane shows.
enum class MState : uint8_t { Running, Spinning, Parked, Syscall, Sysmon, Idle, Count };

struct Palette {
  // chrome
  Rgba canvas, laneAlt, grid, gridMajor, rulerBg, rulerText, laneLabel, groupHeader, text, textDim;
  // selection and highlights
  Rgba selection, highlightG, hover, measure;
  // G states
  Rgba gState[int(GState::Count)];
  // blocked reasons (indexed like trace::BlockReason); Blocked falls back to gState
  Rgba blockReason[10];
  // M states
  Rgba mState[int(MState::Count)];
  // P lanes
  Rgba pIdle;
  // run queues
  Rgba runqLocal, runqRunnext, runqGlobal;
  // sysmon
  Rgba sysmonTick, sysmonPreempt, sysmonRetake;
  // flows
  Rgba flowCreate, flowUnblock, flowSteal, flowPreempt, flowHandoff;
  // folded (level of detail)
  Rgba folded, foldedHatch;
  Rgba error;
};

const Palette& darkPalette();
const Palette& lightPalette();

}  // namespace gmps::viewer
