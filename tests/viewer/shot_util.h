// shot_util.h — rendering a trace off-screen for the viewer's screenshot tests: the
// picture as pixels, the layout the viewer reports (GMPSCOPE_VIEWER_LAYOUT), and the
// same trace loaded by the model, so a test can check each pixel against the model.
// Run under xvfb-run.
#pragma once

#include <stb_image.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/colors.h"
#include "gmpscope/model/trace_model.h"
#include "gmpscope/viewer/viewer.h"

namespace gmps::viewer::shots {

namespace fs = std::filesystem;

struct Shot {
  int rc = -1;
  int w = 0, h = 0;
  std::vector<uint8_t> px;
  nlohmann::json layout;
  std::unique_ptr<model::TraceModel> model;

  Rgba at(double x, double y) const {
    int ix = int(x), iy = int(y);
    if (ix < 0 || iy < 0 || ix >= w || iy >= h) return 0;
    const uint8_t* p = &px[(size_t(iy) * size_t(w) + size_t(ix)) * 4];
    return rgba(p[0], p[1], p[2]);
  }
  double x(double t) const {
    return double(layout["canvas"]["timeX0"]) +
           (t - double(layout["view"]["startNs"])) / double(layout["view"]["nsPerPx"]);
  }
  double timeX0() const { return layout["canvas"]["timeX0"]; }
  double right() const { return layout["canvas"]["x1"]; }
};

inline bool near(Rgba a, Rgba b, int tol = 3) {
  return std::abs(red(a) - red(b)) <= tol && std::abs(green(a) - green(b)) <= tol &&
         std::abs(blue(a) - blue(b)) <= tol;
}

inline std::string hex(Rgba c) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "#%02x%02x%02x", red(c), green(c), blue(c));
  return buf;
}

inline fs::path outDir() {
  fs::path d = GMPS_TEST_OUT_DIR;
  fs::create_directories(d);
  return d;
}

// render shows trace (with the commands applied, the scripted input played, in guided
// mode when tutorial is set) and keeps NAME.png and NAME.layout.json in the build tree.
inline Shot render(const std::string& trace, const std::string& name, int w = 1600, int h = 900,
                   const std::string& commands = "", const std::string& input = "",
                   const std::string& tutorial = "") {
  Shot s;
  fs::path png = outDir() / (name + ".png");
  fs::path layout = outDir() / (name + ".layout.json");
  fs::remove(png);
  fs::remove(layout);
  ::setenv("GMPSCOPE_VIEWER_LAYOUT", layout.c_str(), 1);
  Options o;
  o.file = trace;
  o.screenshot = png.string();
  o.width = w;
  o.height = h;
  o.commands = commands;
  o.input = input;
  o.tutorial = tutorial;
  s.rc = run(o);
  ::unsetenv("GMPSCOPE_VIEWER_LAYOUT");
  int n = 0;
  if (unsigned char* data = stbi_load(png.c_str(), &s.w, &s.h, &n, 4)) {
    s.px.assign(data, data + size_t(s.w) * size_t(s.h) * 4);
    stbi_image_free(data);
  }
  if (std::ifstream in(layout); in) s.layout = nlohmann::json::parse(in, nullptr, false);
  if (!trace.empty()) {
    model::LoadResult r = model::loadTrace(trace);
    s.model = std::move(r.model);
  }
  return s;
}

}  // namespace gmps::viewer::shots
