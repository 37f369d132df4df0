// screenshot.h — off-screen rendering and PNG output for `--screenshot`.
//
// Frames render into a framebuffer object of exactly the requested size, so the
// result does not depend on the X screen (xvfb-run's default is 640x480x8) or on a
// window manager. PNGs are written to OUT.tmp and renamed, never half-written.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace gmps::viewer {

class OffscreenTarget {
 public:
  OffscreenTarget() = default;
  OffscreenTarget(const OffscreenTarget&) = delete;
  OffscreenTarget& operator=(const OffscreenTarget&) = delete;
  ~OffscreenTarget();

  // create needs a current GL context; returns "" or what failed.
  std::string create(int w, int h);
  void bind() const;
  void unbind() const;
  // readRGBA returns the pixels top row first (GL returns bottom row first).
  std::vector<uint8_t> readRGBA() const;
  int width() const { return w_; }
  int height() const { return h_; }

 private:
  unsigned fbo_ = 0, color_ = 0;
  int w_ = 0, h_ = 0;
};

// flipRows reverses the row order of a w×h RGBA image in place.
void flipRows(std::vector<uint8_t>& rgba, int w, int h);

// writePNG writes an RGBA image (top row first) to path via path.tmp; returns ""
// or one line saying what went wrong.
std::string writePNG(const std::string& path, const std::vector<uint8_t>& rgba, int w, int h);

// checkWritable tells early whether path can be written (by creating and removing
// path.tmp), so a bad --screenshot path fails before any window opens.
std::string checkWritable(const std::string& path);

}  // namespace gmps::viewer
