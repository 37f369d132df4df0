// bench_stats.cpp — covered pixels of a frame's triangles (bench_stats.h).
#include "bench_stats.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ctime>

namespace gmps::viewer {
namespace {

struct Pt {
  float x, y;
};

// clipEdge keeps the part of polygon in on the inner side of one edge of the clip
// rectangle (Sutherland–Hodgman): axis 0 = x, 1 = y; keep v >= bound (lower) or <= it.
int clipEdge(const Pt* in, int n, Pt* out, int axis, float bound, bool lower) {
  auto inside = [&](const Pt& p) {
    float v = axis == 0 ? p.x : p.y;
    return lower ? v >= bound : v <= bound;
  };
  int m = 0;
  for (int i = 0; i < n; i++) {
    const Pt& a = in[i];
    const Pt& b = in[(i + 1) % n];
    bool ia = inside(a), ib = inside(b);
    if (ia) out[m++] = a;
    if (ia != ib) {
      float va = axis == 0 ? a.x : a.y, vb = axis == 0 ? b.x : b.y;
      float t = (bound - va) / (vb - va);
      out[m++] = {a.x + (b.x - a.x) * t, a.y + (b.y - a.y) * t};
    }
  }
  return m;
}

// clippedArea: the area of triangle t inside rectangle r (x0, y0, x1, y1).
double clippedArea(const Pt t[3], const ImVec4& r) {
  Pt a[8], b[8];
  int n = 3;
  for (int i = 0; i < 3; i++) a[i] = t[i];
  n = clipEdge(a, n, b, 0, r.x, true);
  n = clipEdge(b, n, a, 0, r.z, false);
  n = clipEdge(a, n, b, 1, r.y, true);
  n = clipEdge(b, n, a, 1, r.w, false);
  double s = 0;
  for (int i = 0; i < n; i++) {
    const Pt& p = a[i];
    const Pt& q = a[(i + 1) % n];
    s += double(p.x) * q.y - double(q.x) * p.y;
  }
  return std::fabs(s) / 2;
}

double listPixels(const ImDrawList& dl, ImVec2 origin) {
  double sum = 0;
  for (const ImDrawCmd& c : dl.CmdBuffer) {
    if (c.UserCallback != nullptr) continue;
    ImVec4 clip(c.ClipRect.x - origin.x, c.ClipRect.y - origin.y, c.ClipRect.z - origin.x,
                c.ClipRect.w - origin.y);
    for (unsigned i = 0; i + 2 < c.ElemCount; i += 3) {
      Pt t[3];
      for (int k = 0; k < 3; k++) {
        const ImDrawVert& v =
            dl.VtxBuffer[int(c.VtxOffset + dl.IdxBuffer[int(c.IdxOffset + i + k)])];
        t[k] = {v.pos.x - origin.x, v.pos.y - origin.y};
      }
      sum += clippedArea(t, clip);
    }
  }
  return sum;
}

}  // namespace

double paintedPixels(const ImDrawData& dd, std::vector<std::pair<std::string, double>>* perWindow) {
  double total = 0;
  for (int l = 0; l < dd.CmdListsCount; l++) {
    const ImDrawList& dl = *dd.CmdLists[l];
    double px = listPixels(dl, dd.DisplayPos);
    total += px;
    if (perWindow != nullptr) perWindow->emplace_back(dl._OwnerName ? dl._OwnerName : "?", px);
  }
  return total;
}

namespace {

double pct(std::vector<double> v, double q) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, size_t(q * double(v.size())))];
}

// printShares: the six biggest shares of a sum, and the rest of the line.
void printShares(const std::map<std::string, double>& parts) {
  double sum = 0;
  std::vector<std::pair<double, std::string>> by;
  for (auto& [name, v] : parts) by.emplace_back(v, name), sum += v;
  std::sort(by.rbegin(), by.rend());
  for (size_t i = 0; i < by.size() && i < 6; i++)
    std::printf("%s %s %.0f%%", i ? "," : "", by[i].second.c_str(),
                sum > 0 ? 100 * by[i].first / sum : 0.0);
  std::printf("\n");
}

}  // namespace

void BenchFrames::add(const ImDrawData& dd, const GlRenderer::Stats& gl) {
  std::vector<std::pair<std::string, double>> per;
  painted.push_back(paintedPixels(dd, &per));
  for (auto& [name, px] : per) windows[name] += px;
  for (int l = 0; l < dd.CmdListsCount; l++) {
    const ImDrawList& dl = *dd.CmdLists[l];
    windowTris[dl._OwnerName ? dl._OwnerName : "?"] += double(dl.IdxBuffer.Size / 3);
  }
  vertices += dd.TotalVtxCount;
  triangles.push_back(double(dd.TotalIdxCount / 3));
  for (int l = 0; l < dd.CmdListsCount; l++) commands += dd.CmdLists[l]->CmdBuffer.Size;
  stateChanges.push_back(gl.changes);
  for (int k = 0; k < 3; k++) statePixels[k] += gl.pixels[k];
}

void BenchFrames::print(int w, int h) const {
  auto line = [](const char* what, const std::vector<double>& v, const char* tail) {
    std::printf("viewer bench: %-10s p50 %.2f ms  p90 %.2f ms  p99 %.2f ms  max %.2f ms%s\n", what,
                pct(v, 0.5), pct(v, 0.9), pct(v, 0.99), pct(v, 1.0), tail);
  };
  size_t worst = size_t(std::max_element(total.begin(), total.end()) - total.begin());
  std::string slowest = " (slowest: frame " + std::to_string(worst) + ")";
  line("ui build", ui, "");
  line("gl submit", submit, " (vertex work and binning, on the main thread)");
  line("full frame", total, slowest.c_str());
  line("+ present", presented, " (swap to the X server included)");
  line("cpu", cpu, " (all threads, to glFinish)");
  const auto n = int64_t(std::max<size_t>(1, total.size()));
  std::printf("viewer bench: per frame %lld vertices, %lld draw commands on average\n",
              (long long)(vertices / n), (long long)(commands / n));
  const double px = double(w) * h;
  std::printf("viewer bench: painted    p50 %.2f, max %.2f x the window's pixels; by window:",
              pct(painted, 0.5) / px, pct(painted, 1.0) / px);
  printShares(windows);
  std::printf("viewer bench: triangles  p50 %.0f, max %.0f; by window:", pct(triangles, 0.5),
              pct(triangles, 1.0));
  printShares(windowTris);
  const double all = statePixels[0] + statePixels[1] + statePixels[2];
  if (all > 0)
    std::printf(
        "viewer bench: drawn      %.0f%% opaque flat, %.0f%% blended flat, %.0f%% textured; "
        "%.0f state changes per frame (p50)\n",
        100 * statePixels[0] / all, 100 * statePixels[1] / all, 100 * statePixels[2] / all,
        pct(stateChanges, 0.5));
}

void BenchFrames::log(const char* path) const {
  FILE* f = std::fopen(path, "w");
  if (f == nullptr) return;
  std::fprintf(f, "frame,ui_ms,submit_ms,frame_ms,present_ms,cpu_ms,painted_px,triangles\n");
  for (size_t i = 0; i < total.size(); i++)
    std::fprintf(f, "%zu,%.3f,%.3f,%.3f,%.3f,%.3f,%.0f,%.0f\n", i, ui[i], submit[i], total[i],
                 presented[i], cpu[i], painted[i], triangles[i]);
  std::fclose(f);
}

double processCpuMs() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return double(ts.tv_sec) * 1e3 + double(ts.tv_nsec) / 1e6;
}

}  // namespace gmps::viewer
