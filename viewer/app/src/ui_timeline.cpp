// ui_timeline.cpp — the timeline: the time ruler on top, the lanes below it, and what
// the mouse does there.
//
// [SECTION] Timeline frame
// [SECTION] Ruler
// [SECTION] Lanes area
// [SECTION] Mouse
#include <GLFW/glfw3.h>
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "core/ruler.h"
#include "ui.h"

namespace gmps::viewer {

// ---------------------------------------------------------------------------
// [SECTION] Timeline frame

void Ui::drawTimeline(const ImVec2& size) {
  ImVec2 pos = ImGui::GetCursorScreenPos();
  float fs = ImGui::GetFontSize();
  float labelW = std::round(std::clamp(fs * 8.5f, 120.f, size.x * 0.3f));
  rulerH_ = std::round(fs * 2.1f);
  float sb = ImGui::GetStyle().ScrollbarSize;
  vs_.view.widthPx = std::max(10.f, size.x - labelW - sb);
  if (vs_.fitPending) fit();
  // Commands wait until one frame has laid the lanes out (they scroll to lanes); so do
  // a guided step's jump and a tutorial's first step.
  if (!pending_.empty() && canvas_.max.y > canvas_.min.y) applyCommands();
  if (pending_.empty() && canvas_.max.y > canvas_.min.y) applyPendingGuideStep();
  double span = double(doc_->model->endTime() - doc_->model->startTime());
  vs_.view.nsPerPx = std::min(vs_.view.nsPerPx, maxNsPerPxFor(span, vs_.view.widthPx));
  vs_.view.clampTo(double(doc_->model->startTime()), double(doc_->model->endTime()));

  ImDrawList* dl = ImGui::GetWindowDrawList();
  ImVec2 rmin = pos, rmax(pos.x + size.x - sb, pos.y + rulerH_);
  drawRuler(dl, rmin, rmax, pos.x + labelW);

  // Dragging on the ruler selects a range and zooms to it on release (Tracy); a click
  // puts the play head there, and dragging the play head's handle scrubs.
  ImGui::SetCursorScreenPos(ImVec2(pos.x + labelW, pos.y));
  ImGui::InvisibleButton("##ruler", ImVec2(vs_.view.widthPx, rulerH_));
  ImGuiIO& io = ImGui::GetIO();
  double tMouse = vs_.view.tOf(io.MousePos.x - (pos.x + labelW));
  if (ImGui::IsItemActivated()) {
    vs_.drag = nearPlayHead(io.MousePos.x, pos.x + labelW) ? Drag::Scrub : Drag::RulerZoom;
    vs_.measureA = vs_.measureB = tMouse;
    vs_.replay.playing = false;
  }
  if (vs_.drag == Drag::Scrub) {
    seekPlayHeadTime(tMouse);
    ImGui::SetMouseCursor(ImGuiMouseCursor_ResizeEW);
    if (!ImGui::IsMouseDown(0)) {
      vs_.drag = Drag::None;
      selectPlayHeadEvent();
    }
  }
  if (vs_.drag == Drag::RulerZoom) {
    vs_.measureB = tMouse;
    vs_.hasMeasure = true;
    if (!ImGui::IsMouseDown(0)) {
      vs_.drag = Drag::None;
      double a = std::min(vs_.measureA, vs_.measureB), b = std::max(vs_.measureA, vs_.measureB);
      if ((b - a) / vs_.view.nsPerPx > 4) {
        zoomToRange(a, b);
      } else {
        seekPlayHeadTime(a);
        selectPlayHeadEvent();
      }
      vs_.hasMeasure = false;
    }
  }
  if (ImGui::IsItemHovered() && vs_.drag == Drag::None)
    ImGui::SetTooltip(nearPlayHead(io.MousePos.x, pos.x + labelW)
                          ? "Drag the play head to scrub (Space plays, ← → step)"
                          : "Click to put the play head here · drag to zoom to a range · F to fit");
  drawPlayHeadOnRuler(dl, rmin, rmax, pos.x + labelW);

  ImGui::SetCursorScreenPos(ImVec2(pos.x, pos.y + rulerH_));
  canvas_.labelW = labelW;
  drawLanes(ImVec2(size.x, size.y - rulerH_));
}

// ---------------------------------------------------------------------------
// [SECTION] Ruler

void Ui::drawRuler(ImDrawList* dl, ImVec2 min, ImVec2 max, float timeX0) {
  const Palette& p = pal();
  dl->AddRectFilled(min, max, p.rulerBg);
  dl->AddLine(ImVec2(min.x, max.y - 1), ImVec2(max.x, max.y - 1), p.gridMajor);
  ImFont* font = fonts_.small ? fonts_.small : ImGui::GetFont();
  float fsz = font->FontSize;
  float minMajorPx = std::max(110.f, fsz * 7.5f);
  TickStep step = tickStepFor(vs_.view.nsPerPx, minMajorPx);
  std::vector<Tick> ticks = rulerTicks(vs_.view, minMajorPx);
  dl->PushClipRect(ImVec2(timeX0, min.y), max, true);
  for (const Tick& t : ticks) {
    float x = std::round(timeX0 + float(t.x)) + 0.5f;
    if (t.major) {
      dl->AddLine(ImVec2(x, max.y - fsz * 0.7f), ImVec2(x, max.y), p.rulerText);
      // Only whole labels: one cut by the gutter reads as a different number.
      std::string label = formatTimestamp(t.t, step.major);
      float w = font->CalcTextSizeA(fsz, FLT_MAX, 0, label.c_str()).x;
      if (x + 4 >= timeX0 && x + 4 + w <= max.x)
        dl->AddText(font, fsz, ImVec2(x + 4, min.y + 3), p.rulerText, label.c_str());
    } else {
      dl->AddLine(ImVec2(x, max.y - fsz * 0.35f), ImVec2(x, max.y), p.textDim);
    }
  }
  // The measured or dragged range.
  if (vs_.hasMeasure) {
    float a = timeX0 + float(vs_.view.xOf(std::min(vs_.measureA, vs_.measureB)));
    float b = timeX0 + float(vs_.view.xOf(std::max(vs_.measureA, vs_.measureB)));
    dl->AddRectFilled(ImVec2(a, min.y), ImVec2(std::max(a + 1, b), max.y), p.measure);
  }
  // Where the kind filter's events are.
  paintSearchMarks(dl, Canvas{min, max, timeX0 - min.x});
  dl->PopClipRect();
  // The gutter shows the scale.
  char scale[64];
  std::snprintf(scale, sizeof scale, "%s / px", formatDuration(vs_.view.nsPerPx).c_str());
  dl->AddText(font, fsz, ImVec2(min.x + 6, min.y + 3), p.textDim, scale);
  std::string width = formatDuration(vs_.view.nsPerPx * vs_.view.widthPx);
  dl->AddText(font, fsz, ImVec2(min.x + 6, min.y + 3 + fsz), p.textDim,
              ("view " + width).c_str());
  dl->AddLine(ImVec2(timeX0 - 0.5f, min.y), ImVec2(timeX0 - 0.5f, max.y), p.gridMajor);
}

// ---------------------------------------------------------------------------
// [SECTION] Lanes area

void Ui::drawLanes(const ImVec2& size) {
  // No child background: paintRows fills each lane once (fill rate matters under
  // software GL).
  ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(0, 0));
  ImGui::BeginChild("##lanes", size, false,
                    ImGuiWindowFlags_NoScrollWithMouse | ImGuiWindowFlags_AlwaysVerticalScrollbar |
                        ImGuiWindowFlags_NoMove);
  ImGui::PopStyleVar();
  if (vs_.scrollTo >= 0) {
    ImGui::SetScrollY(vs_.scrollTo);  // applied when the child begins next frame
    vs_.scrollTo = -1;
  }
  vs_.scrollY = ImGui::GetScrollY();
  ImVec2 wpos = ImGui::GetWindowPos();
  ImVec2 wsize = ImGui::GetWindowSize();
  canvas_.min = wpos;
  canvas_.max = ImVec2(wpos.x + wsize.x - ImGui::GetStyle().ScrollbarSize, wpos.y + wsize.y);
  // Content height gives the scrollbar its range; nothing is laid out by ImGui here.
  ImGui::Dummy(ImVec2(1, vs_.layout.height() + ImGui::GetFontSize() * 2));

  ImDrawList* dl = ImGui::GetWindowDrawList();
  planFrame(canvas_);
  paintRows(dl, canvas_);
  if (settings_.showFlows) paintFlows(dl, canvas_);
  drawMeasure(dl, canvas_);
  dl->PushClipRect(ImVec2(canvas_.timeX0(), canvas_.min.y), canvas_.max, true);
  drawPlayHead(dl, canvas_);
  dl->PopClipRect();
  paintLabels(dl, canvas_);
  handleCanvasInput(canvas_);
  ImGui::EndChild();
}

void Ui::drawMeasure(ImDrawList* dl, const Canvas& c) {
  const Palette& p = pal();
  ImGuiIO& io = ImGui::GetIO();
  float x0 = c.timeX0();
  dl->PushClipRect(ImVec2(x0, c.min.y), c.max, true);
  if (vs_.hasMeasure) {
    double a = std::min(vs_.measureA, vs_.measureB), b = std::max(vs_.measureA, vs_.measureB);
    float xa = x0 + float(vs_.view.xOf(a)), xb = x0 + float(vs_.view.xOf(b));
    dl->AddRectFilled(ImVec2(xa, c.min.y), ImVec2(std::max(xa + 1, xb), c.max.y), p.measure);
    dl->AddLine(ImVec2(xa, c.min.y), ImVec2(xa, c.max.y), withAlpha(p.text, 160));
    dl->AddLine(ImVec2(xb, c.min.y), ImVec2(xb, c.max.y), withAlpha(p.text, 160));
    std::string label = formatDuration(b - a);
    if (vs_.drag != Drag::Measure) label += "   (Z: zoom to it, Esc: clear)";
    ImVec2 ts = ImGui::CalcTextSize(label.c_str());
    float lx = std::clamp((xa + xb) / 2 - ts.x / 2, x0 + 4, c.max.x - ts.x - 4);
    ImVec2 la(lx - 6, c.min.y + 6), lb(lx + ts.x + 6, c.min.y + 10 + ts.y);
    dl->AddRectFilled(la, lb, withAlpha(p.canvas, 235), 4);
    dl->AddRect(la, lb, withAlpha(p.text, 140), 4);
    dl->AddText(ImVec2(lx, c.min.y + 8), p.text, label.c_str());
  }
  // The time cursor follows the mouse across every lane.
  bool over = io.MousePos.x >= x0 && io.MousePos.x < c.max.x && io.MousePos.y >= c.min.y - rulerH_ &&
              io.MousePos.y < c.max.y && ImGui::IsWindowHovered(ImGuiHoveredFlags_ChildWindows);
  if (over && vs_.benchFrame < 0) {
    float x = std::round(io.MousePos.x) + 0.5f;
    dl->AddLine(ImVec2(x, c.min.y), ImVec2(x, c.max.y), withAlpha(p.text, 90));
  }
  dl->PopClipRect();
}

// ---------------------------------------------------------------------------
// [SECTION] Mouse

void Ui::handleCanvasInput(const Canvas& c) {
  ImGuiIO& io = ImGui::GetIO();
  ImVec2 m = io.MousePos;
  bool hovered = ImGui::IsWindowHovered();
  bool inside = hovered && m.x >= c.min.x && m.x < c.max.x && m.y >= c.min.y && m.y < c.max.y;
  float x0 = c.timeX0();
  double tm = vs_.view.tOf(m.x - x0);
  double maxZoom = maxNsPerPxFor(double(doc_->model->endTime() - doc_->model->startTime()),
                                 vs_.view.widthPx);

  if (inside && io.MouseWheel != 0) {
    if (io.KeyShift) {
      vs_.scrollTo = std::max(0.f, vs_.scrollY - io.MouseWheel * ImGui::GetFontSize() * 5);
    } else {
      float ax = std::clamp(m.x - x0, 0.f, vs_.view.widthPx);
      vs_.view.zoomAt(ax, std::pow(0.8, double(io.MouseWheel)), maxZoom);
    }
  }
  if (inside && io.MouseWheelH != 0) vs_.view.pan(-io.MouseWheelH * vs_.view.widthPx * 0.1);

  if (inside && vs_.drag == Drag::None) {
    if (ImGui::IsMouseClicked(0)) {
      vs_.drag = Drag::Pan;
      vs_.dragStartNs = vs_.view.startNs;
      vs_.dragStartScroll = vs_.scrollY;
      vs_.dragStartX = m.x;
      vs_.dragStartY = m.y;
    } else if (ImGui::IsMouseClicked(1) && m.x >= x0) {
      vs_.drag = Drag::Measure;
      vs_.measureA = vs_.measureB = tm;
      vs_.dragStartX = m.x;
    }
  }
  if (vs_.drag == Drag::Pan) {
    float dx = m.x - vs_.dragStartX, dy = m.y - vs_.dragStartY;
    bool moved = ImGui::IsMouseDragging(0);
    if (moved) {
      vs_.view.startNs = vs_.dragStartNs - double(dx) * vs_.view.nsPerPx;
      ImGui::SetScrollY(std::max(0.f, vs_.dragStartScroll - dy));
      ImGui::SetMouseCursor(ImGuiMouseCursor_ResizeAll);
    }
    if (!ImGui::IsMouseDown(0)) {
      vs_.drag = Drag::None;
      if (std::fabs(dx) < io.MouseDragThreshold && std::fabs(dy) < io.MouseDragThreshold) {
        // A click: fold a group, highlight a G from its label, or select what is under it.
        const Row* row = vs_.layout.rowAt(m.y - c.min.y + vs_.scrollY);
        if (plan_.sticky != nullptr && m.y < plan_.stickyBottom) row = plan_.sticky;
        if (row && row->kind == LaneKind::GroupHeader) {
          const char* name = groupName(Group(row->id));
          setCollapsed(settings_, name, !isCollapsed(settings_, name));
          vs_.layoutDirty = true;
        } else if (row && m.x < x0 && row->kind == LaneKind::Goroutine) {
          vs_.highlightG = vs_.highlightG == row->id ? -1 : row->id;
        } else {
          setSelection(hitTest(c, m));
        }
      }
    }
  }
  if (vs_.drag == Drag::Measure) {
    vs_.measureB = tm;
    vs_.hasMeasure = std::fabs(m.x - vs_.dragStartX) >= 3;
    if (!ImGui::IsMouseDown(1)) vs_.drag = Drag::None;
  }
  if (inside && ImGui::IsMouseDoubleClicked(0)) {
    Selection s = hitTest(c, m);
    if (s.valid()) zoomToRange(itemStart(s), itemEnd(s));
  }

  vs_.hover = Selection{};
  if (inside && vs_.drag == Drag::None) {
    const Row* row = vs_.layout.rowAt(m.y - c.min.y + vs_.scrollY);
    if (plan_.sticky != nullptr && m.y < plan_.stickyBottom) row = plan_.sticky;
    if (row && row->kind == LaneKind::GroupHeader) {
      ImGui::SetTooltip("Click to %s this group", isCollapsed(settings_, groupName(Group(row->id)))
                                                      ? "expand"
                                                      : "collapse");
    } else if (row && m.x < x0) {
      if (row->kind == LaneKind::Goroutine)
        ImGui::SetTooltip("G%d — click to highlight its whole life", row->id);
    } else {
      vs_.hover = hitTest(c, m);
      if (vs_.hover.valid()) tooltipFor(vs_.hover);
    }
  }
}

}  // namespace gmps::viewer

namespace gmps::viewer {

// ---------------------------------------------------------------------------
// [SECTION] Benchmark and test hooks

void Ui::benchView(double t) {
  if (!doc_) return;
  vs_.benchFrame = 1;
  double start = double(doc_->model->startTime()), end = double(doc_->model->endTime());
  double span = std::max(1.0, end - start);
  double fitNs = span / std::max(1.f, vs_.view.widthPx);
  double tri = t < 0.5 ? t * 2 : (1 - t) * 2;  // 0 -> 1 -> 0
  double deep = 0.05;
  double nsPerPx = std::exp(std::log(fitNs) + (std::log(deep) - std::log(fitNs)) * tri);
  double centre = start + span * (0.15 + 0.7 * t);
  vs_.view.nsPerPx = std::max(TimeView::kMinNsPerPx, nsPerPx);
  vs_.view.startNs = centre - 0.5 * vs_.view.nsPerPx * vs_.view.widthPx;
  float visH = canvas_.max.y - canvas_.min.y;
  vs_.scrollTo = std::max(0.f, float(t) * (vs_.layout.height() - visH));
  vs_.fitPending = false;
  // The play head seeks across the whole trace too, with the scheduler panel showing
  // the state there: every frame is a seek (TraceModel::stateAfter from a snapshot).
  seekPlayHeadTime(start + span * t);
  vs_.tabRequest = kTabScheduler;
}

std::string Ui::layoutJson() const {
  auto kindName = [](LaneKind k) {
    switch (k) {
      case LaneKind::GroupHeader: return "header";
      case LaneKind::Startup: return "startup";
      case LaneKind::Proc: return "proc";
      case LaneKind::Runq: return "runq";
      case LaneKind::GlobalRunq: return "globalrunq";
      case LaneKind::Machine: return "machine";
      case LaneKind::Sysmon: return "sysmon";
      case LaneKind::Goroutine: return "goroutine";
    }
    return "?";
  };
  std::string out;
  char buf[256];
  std::snprintf(buf, sizeof buf,
                "{\"canvas\":{\"x0\":%.2f,\"y0\":%.2f,\"x1\":%.2f,\"y1\":%.2f,\"timeX0\":%.2f},"
                "\"view\":{\"startNs\":%.6f,\"nsPerPx\":%.9f,\"widthPx\":%.2f},\"rows\":[",
                canvas_.min.x, canvas_.min.y, canvas_.max.x, canvas_.max.y, canvas_.timeX0(),
                vs_.view.startNs, vs_.view.nsPerPx, vs_.view.widthPx);
  out += buf;
  for (size_t i = 0; i < plan_.rows.size(); i++) {
    const PlannedRow& pr = plan_.rows[i];
    std::snprintf(buf, sizeof buf, "%s{\"kind\":\"%s\",\"id\":%d,\"y0\":%.2f,\"y1\":%.2f}", i ? "," : "",
                  kindName(pr.row->kind), pr.row->id, pr.y0, pr.y1);
    out += buf;
  }
  out += "],";
  auto setName = [](ItemSet s) {
    switch (s) {
      case ItemSet::None: return "none";
      case ItemSet::ProcRunning: return "proc_running";
      case ItemSet::ProcHeld: return "proc_held";
      case ItemSet::ProcMarks: return "proc_marks";
      case ItemSet::MachineSpans: return "machine_spans";
      case ItemSet::MachineMarks: return "machine_marks";
      case ItemSet::GSpans: return "g_spans";
      case ItemSet::GMarks: return "g_marks";
      case ItemSet::SysmonMarks: return "sysmon_marks";
      case ItemSet::StartupMarks: return "startup_marks";
      case ItemSet::Runq: return "runq";
      case ItemSet::GlobalRunq: return "global_runq";
      case ItemSet::Event: return "event";
    }
    return "?";
  };
  std::string collapsed;
  for (const std::string& g : settings_.collapsedGroups) collapsed += (collapsed.empty() ? "\"" : ",\"") + g + "\"";
  std::snprintf(buf, sizeof buf,
                "\"state\":{\"selection\":{\"set\":\"%s\",\"lane\":%d,\"index\":%d,\"count\":%d},"
                "\"highlightG\":%d,\"hasMeasure\":%s,\"measureA\":%.3f,\"measureB\":%.3f,",
                setName(vs_.selection.set), vs_.selection.lane, vs_.selection.index, vs_.selection.count,
                vs_.highlightG, vs_.hasMeasure ? "true" : "false", vs_.measureA, vs_.measureB);
  out += buf;
  std::snprintf(buf, sizeof buf,
                "\"showHelp\":%s,\"showBrowser\":%s,\"kindFilter\":%d,\"document\":\"%s\",\"collapsed\":[",
                vs_.showHelp ? "true" : "false", vs_.showBrowser ? "true" : "false", vs_.kindFilter,
                doc_ ? "loaded" : "none");
  out += buf;
  out += collapsed + "]},";
  out += "\"bottomTab\":" + jsonQuote(vs_.bottomTab >= 0 ? kStatsTabs[vs_.bottomTab] : "");
  out += ",\"replay\":" + replayJson();
  out += ",\"scheduler\":" + schedulerJson();
  out += ",\"startup\":" + startupJson();
  out += ",\"guide\":" + guideJson();
  out += "}\n";
  return out;
}

}  // namespace gmps::viewer
