// ui_stats.cpp — the statistics panel: a sortable per-G table (ImGuiListClipper, so
// a hundred thousand goroutines scroll smoothly), per-P utilisation, the scheduler
// latency histogram (drawn with the draw list), event counts, and the find results.
//
// [SECTION] Panel
// [SECTION] Goroutines
// [SECTION] Processors
// [SECTION] Scheduler latency
// [SECTION] Event counts
// [SECTION] Find results
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <vector>

#include "core/gtable.h"
#include "core/inspect.h"
#include "core/ruler.h"
#include "ui.h"

namespace gmps::viewer {

namespace {

// The table's column ids are GColumn's (core/gtable.h).
constexpr int ColId = int(GColumn::Id), ColLabel = int(GColumn::Label), ColRun = int(GColumn::Running),
              ColWait = int(GColumn::Wait), ColBlocked = int(GColumn::Blocked),
              ColSyscall = int(GColumn::Syscall), ColPreempt = int(GColumn::Preempted),
              ColStarts = int(GColumn::Starts), ColCount = int(GColumn::Count);

}  // namespace

// ---------------------------------------------------------------------------
// [SECTION] Panel

void Ui::drawStatsPanel(const ImVec2& size) {
  if (!ImGui::BeginTabBar("##statstabs")) return;
  if (vs_.showFind) vs_.tabRequest = 4;
  vs_.showFind = false;
  auto flags = [&](int tab) {
    return vs_.tabRequest == tab ? ImGuiTabItemFlags_SetSelected : ImGuiTabItemFlags_None;
  };
  // The teaching tabs first (issue 5): the scheduler at the play head, the startup walk.
  if (ImGui::BeginTabItem("Scheduler", nullptr, flags(kTabScheduler))) {
    vs_.bottomTab = kTabScheduler;
    drawSchedulerPanel(ImGui::GetContentRegionAvail());
    ImGui::EndTabItem();
  }
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("Ps, run queues and Ms at the play head");
  if (ImGui::BeginTabItem("Startup", nullptr, flags(kTabStartup))) {
    vs_.bottomTab = kTabStartup;
    drawStartupPanel(ImGui::GetContentRegionAvail());
    ImGui::EndTabItem();
  }
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("The runtime's startup, step by step, as with gdb");
  if (ImGui::BeginTabItem("Goroutines", nullptr, flags(0))) {
    vs_.bottomTab = 0;
    drawGoroutineTable();
    ImGui::EndTabItem();
  }
  if (ImGui::BeginTabItem("Processors", nullptr, flags(1))) {
    vs_.bottomTab = 1;
    drawProcTable();
    ImGui::EndTabItem();
  }
  if (ImGui::BeginTabItem("Scheduler latency", nullptr, flags(2))) {
    vs_.bottomTab = 2;
    drawLatencyHistogram();
    ImGui::EndTabItem();
  }
  if (ImGui::BeginTabItem("Events", nullptr, flags(3))) {
    vs_.bottomTab = 3;
    drawCounts();
    ImGui::EndTabItem();
  }
  if (ImGui::BeginTabItem("Find", nullptr, flags(4))) {
    vs_.bottomTab = 4;
    drawFindResults();
    ImGui::EndTabItem();
  }
  vs_.tabRequest = -1;
  ImGui::EndTabBar();
  (void)size;
}

// ---------------------------------------------------------------------------
// [SECTION] Goroutines

void Ui::drawGoroutineTable() {
  const auto& perG = doc_->model->stats().perG;
  ImGuiTableFlags flags = ImGuiTableFlags_Sortable | ImGuiTableFlags_SortMulti | ImGuiTableFlags_RowBg |
                          ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_ScrollY |
                          ImGuiTableFlags_Resizable | ImGuiTableFlags_Reorderable |
                          ImGuiTableFlags_Hideable | ImGuiTableFlags_SizingFixedFit;
  if (!ImGui::BeginTable("##gtable", ColCount, flags, ImGui::GetContentRegionAvail())) return;
  float em = ImGui::GetFontSize();
  ImGui::TableSetupScrollFreeze(0, 1);
  ImGui::TableSetupColumn("G", ImGuiTableColumnFlags_DefaultSort, em * 4, ColId);
  ImGui::TableSetupColumn("label", 0, em * 9, ColLabel);
  ImGui::TableSetupColumn("running", ImGuiTableColumnFlags_PreferSortDescending, em * 5.5f, ColRun);
  ImGui::TableSetupColumn("sched wait", ImGuiTableColumnFlags_PreferSortDescending, em * 5.5f, ColWait);
  ImGui::TableSetupColumn("blocked (most by)",
                          ImGuiTableColumnFlags_PreferSortDescending | ImGuiTableColumnFlags_WidthStretch, 0,
                          ColBlocked);
  ImGui::TableSetupColumn("syscall", ImGuiTableColumnFlags_PreferSortDescending, em * 5, ColSyscall);
  ImGui::TableSetupColumn("preempted", ImGuiTableColumnFlags_PreferSortDescending, em * 5, ColPreempt);
  ImGui::TableSetupColumn("starts", ImGuiTableColumnFlags_PreferSortDescending, em * 4, ColStarts);
  ImGui::TableHeadersRow();

  if (ImGuiTableSortSpecs* specs = ImGui::TableGetSortSpecs(); specs && (specs->SpecsDirty || vs_.statsOrderDirty)) {
    std::vector<GSortKey> keys;
    for (int k = 0; k < specs->SpecsCount; k++)
      keys.push_back({GColumn(specs->Specs[k].ColumnUserID),
                      specs->Specs[k].SortDirection == ImGuiSortDirection_Ascending});
    vs_.statsOrder = orderGoroutines(*doc_->model, keys);
    specs->SpecsDirty = false;
    vs_.statsOrderDirty = false;
  }
  const model::TraceModel& m = *doc_->model;
  ImGuiListClipper clipper;
  clipper.Begin(int(vs_.statsOrder.size()));
  while (clipper.Step()) {
    for (int r = clipper.DisplayStart; r < clipper.DisplayEnd; r++) {
      const model::GoroutineStats& g = perG[size_t(vs_.statsOrder[size_t(r)])];
      ImGui::PushID(g.id);
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      char id[32];
      std::snprintf(id, sizeof id, "G%d", g.id);
      ImGui::PushStyleColor(ImGuiCol_Text, gText(g.id));
      if (ImGui::Selectable(id, vs_.highlightG == g.id, ImGuiSelectableFlags_SpanAllColumns)) {
        vs_.highlightG = g.id;
        if (vs_.layout.find(LaneKind::Goroutine, g.id) == nullptr && vs_.gFilterActive) {
          vs_.gFilterText[0] = '\0';
          vs_.gFilterActive = false;
          vs_.gFilter.clear();
          rebuildLayout();
        }
        ensureLaneVisible(LaneKind::Goroutine, g.id);
      }
      ImGui::PopStyleColor();
      if (ImGui::IsItemHovered()) ImGui::SetTooltip("Click to highlight G%d and show its lane", g.id);
      ImGui::TableNextColumn();
      const model::GoroutineLane* lane = m.goroutine(g.id);
      if (lane && !lane->label.empty())
        ImGui::TextUnformatted(lane->label.data(), lane->label.data() + lane->label.size());
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(formatDuration(double(g.running)).c_str());
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(formatDuration(double(g.runnable)).c_str());
      ImGui::TableNextColumn();
      int top = g.topBlockReason;
      if (g.blocked > 0 && top >= 0)
        ImGui::Text("%s  (%s)", formatDuration(double(g.blocked)).c_str(), trace::kBlockReasonNames[top]);
      else
        ImGui::TextDisabled("—");
      if (g.blocked > 0 && ImGui::IsItemHovered()) {
        ImGui::BeginTooltip();
        const model::GoroutineLane* lane = m.goroutine(g.id);
        model::BlockedByReason by = lane ? model::blockedByReason(m, *lane) : model::BlockedByReason{};
        for (int rr = 0; rr < model::kNumBlockReasons; rr++)
          if (by[size_t(rr)] > 0)
            ImGui::Text("%s: %s", trace::kBlockReasonNames[rr], formatDuration(double(by[size_t(rr)])).c_str());
        ImGui::EndTooltip();
      }
      ImGui::TableNextColumn();
      if (g.syscall > 0) ImGui::TextUnformatted(formatDuration(double(g.syscall)).c_str());
      else ImGui::TextDisabled("—");
      ImGui::TableNextColumn();
      ImGui::Text("%d", g.preemptions);
      ImGui::TableNextColumn();
      ImGui::Text("%d", g.starts);
      ImGui::PopID();
    }
  }
  ImGui::EndTable();
}

// ---------------------------------------------------------------------------
// [SECTION] Processors

void Ui::drawProcTable() {
  const model::TraceStats& st = doc_->model->stats();
  ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_ScrollY |
                          ImGuiTableFlags_SizingFixedFit;
  if (!ImGui::BeginTable("##ptable", 8, flags, ImGui::GetContentRegionAvail())) return;
  float em = ImGui::GetFontSize();
  ImGui::TableSetupScrollFreeze(0, 1);
  ImGui::TableSetupColumn("P", 0, em * 3);
  ImGui::TableSetupColumn("utilisation", ImGuiTableColumnFlags_WidthStretch);
  ImGui::TableSetupColumn("running", 0, em * 5.5f);
  ImGui::TableSetupColumn("held by an M", 0, em * 6);
  ImGui::TableSetupColumn("Gs run", 0, em * 4.5f);
  ImGui::TableSetupColumn("steals (Gs)", 0, em * 6);
  ImGui::TableSetupColumn("stolen from (Gs)", 0, em * 7.5f);
  ImGui::TableSetupColumn("preemptions", 0, em * 6);
  ImGui::TableHeadersRow();
  for (const model::ProcStats& p : st.perP) {
    if (p.id < 0) continue;
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    ImGui::Text("P%d", p.id);
    ImGui::TableNextColumn();
    // The figure beside the bar, not on it: light text on a filled bar reads badly.
    char pct[16];
    std::snprintf(pct, sizeof pct, "%5.1f %%", 100 * p.utilisation);
    ImGui::TextUnformatted(pct);
    ImGui::SameLine();
    ImGui::PushStyleColor(ImGuiCol_PlotHistogram, ImGui::ColorConvertU32ToFloat4(pal().gState[int(GState::Running)]));
    ImGui::ProgressBar(float(p.utilisation), ImVec2(-1, ImGui::GetTextLineHeight()), "");
    ImGui::PopStyleColor();
    ImGui::TableNextColumn();
    ImGui::TextUnformatted(formatDuration(double(p.running)).c_str());
    ImGui::TableNextColumn();
    ImGui::TextUnformatted(formatDuration(double(p.held)).c_str());
    ImGui::TableNextColumn();
    ImGui::Text("%d", p.gsRun);
    ImGui::TableNextColumn();
    ImGui::Text("%d (%d)", p.steals, p.gsStolen);
    ImGui::TableNextColumn();
    ImGui::Text("%d (%d)", p.stolenFrom, p.gsLost);
    ImGui::TableNextColumn();
    ImGui::Text("%d", p.preemptions);
  }
  ImGui::EndTable();
}

// ---------------------------------------------------------------------------
// [SECTION] Scheduler latency

void Ui::drawLatencyHistogram() {
  const Palette& p = pal();
  const model::LatencyHistogram& h = doc_->model->stats().schedLatency;
  if (h.total == 0) {
    ImGui::TextDisabled("No goroutine waited for a P in this trace.");
    return;
  }
  ImGui::Text("Scheduler latency: time from runnable to running, %lld waits", (long long)h.total);
  ImGui::SameLine();
  ImGui::TextDisabled("  mean %s · p50 %s · p90 %s · p99 %s · max %s", formatDuration(double(h.mean())).c_str(),
                      formatDuration(double(h.percentile(0.5))).c_str(),
                      formatDuration(double(h.percentile(0.9))).c_str(),
                      formatDuration(double(h.percentile(0.99))).c_str(),
                      formatDuration(double(h.max)).c_str());
  int lo = model::LatencyHistogram::kBuckets, hi = -1;
  int64_t most = 1;
  for (int i = 0; i < model::LatencyHistogram::kBuckets; i++)
    if (h.counts[size_t(i)] > 0) lo = std::min(lo, i), hi = std::max(hi, i), most = std::max(most, h.counts[size_t(i)]);
  if (hi < lo) return;
  ImVec2 avail = ImGui::GetContentRegionAvail();
  ImVec2 a = ImGui::GetCursorScreenPos();
  float fs = ImGui::GetFontSize();
  float axisH = fs * 1.4f, leftW = fs * 4;
  ImVec2 b(a.x + avail.x, a.y + std::max(60.f, avail.y - 4));
  ImGui::InvisibleButton("##hist", ImVec2(b.x - a.x, b.y - a.y));
  bool hovered = ImGui::IsItemHovered();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  dl->AddRectFilled(a, b, p.canvas);
  float plotX0 = a.x + leftW, plotX1 = b.x - 8, plotY0 = a.y + 6, plotY1 = b.y - axisH;
  int n = hi - lo + 1;
  float bw = (plotX1 - plotX0) / float(n);
  // y axis: counts, linear, on round numbers (1, 2 or 5 x 10^k apart)
  double yStep = 1;
  while (double(most) / yStep > 4) {
    double m = yStep;
    yStep = m * 2 >= double(most) / 4 ? m * 2 : m * 5 >= double(most) / 4 ? m * 5 : m * 10;
  }
  for (double v = 0; v <= double(most); v += yStep) {
    float y = plotY1 - (plotY1 - plotY0) * float(v / double(most));
    dl->AddLine(ImVec2(plotX0, y), ImVec2(plotX1, y), p.grid);
    char buf[32];
    std::snprintf(buf, sizeof buf, "%lld", (long long)v);
    dl->AddText(ImVec2(a.x + 4, y - fs / 2), p.textDim, buf);
  }
  int hoverBucket = -1;
  for (int i = lo; i <= hi; i++) {
    float x0 = plotX0 + bw * float(i - lo), x1 = x0 + bw - std::min(3.f, bw * 0.15f);
    float hh = (plotY1 - plotY0) * float(h.counts[size_t(i)]) / float(most);
    bool over = hovered && ImGui::GetIO().MousePos.x >= x0 && ImGui::GetIO().MousePos.x < x0 + bw;
    if (over) hoverBucket = i;
    Rgba col = over ? scale(p.gState[int(GState::Runnable)], 1.25f) : p.gState[int(GState::Runnable)];
    if (h.counts[size_t(i)] > 0) dl->AddRectFilled(ImVec2(x0, plotY1 - std::max(1.f, hh)), ImVec2(x1, plotY1), col);
    // Label every bucket that has room: its upper bound.
    std::string label = formatDuration(double(model::LatencyHistogram::bucketUpper(i)));
    ImVec2 ts = ImGui::CalcTextSize(label.c_str());
    int every = std::max(1, int(std::ceil((ts.x + 8) / bw)));
    if ((i - lo) % every == 0) dl->AddText(ImVec2(x0, plotY1 + 3), p.textDim, label.c_str());
  }
  // Percentile markers.
  auto marker = [&](double q, const char* name) {
    model::Ns v = h.percentile(q);
    int bkt = model::LatencyHistogram::bucketOf(v);
    float x = plotX0 + bw * (float(bkt - lo) + 1) - 1;
    dl->AddLine(ImVec2(x, plotY0), ImVec2(x, plotY1), p.sysmonPreempt, 1.5f);
    float tw = ImGui::CalcTextSize(name).x;
    dl->AddText(ImVec2(x + 3 + tw > plotX1 ? x - 3 - tw : x + 3, plotY0 + (q > 0.9 ? fs : 0)), p.sysmonPreempt,
                name);
  };
  marker(0.5, "p50");
  marker(0.99, "p99");
  if (hoverBucket >= 0) {
    model::Ns lower = hoverBucket == 0 ? 0 : model::LatencyHistogram::bucketUpper(hoverBucket - 1);
    ImGui::SetTooltip("%lld waits of %s – %s", (long long)h.counts[size_t(hoverBucket)],
                      formatDuration(double(lower)).c_str(),
                      formatDuration(double(model::LatencyHistogram::bucketUpper(hoverBucket))).c_str());
  }
}

// ---------------------------------------------------------------------------
// [SECTION] Event counts

void Ui::drawCounts() {
  const model::TraceStats& st = doc_->model->stats();
  ImGui::Text("%lld events · %lld steals moving %lld Gs · %lld preemptions (%lld asked by sysmon) · "
              "global queue peaked at %lld",
              (long long)st.events, (long long)st.steals, (long long)st.gsStolen, (long long)st.preemptions,
              (long long)st.sysmonPreempts, (long long)st.maxGlobalQueue);
  ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_ScrollY |
                          ImGuiTableFlags_SizingFixedFit;
  if (!ImGui::BeginTable("##counts", 4, flags, ImGui::GetContentRegionAvail())) return;
  float em = ImGui::GetFontSize();
  ImGui::TableSetupScrollFreeze(0, 1);
  ImGui::TableSetupColumn("event", 0, em * 10);
  ImGui::TableSetupColumn("count", 0, em * 6);
  ImGui::TableSetupColumn("Go runtime", 0, em * 12);
  ImGui::TableSetupColumn("meaning", ImGuiTableColumnFlags_WidthStretch);
  ImGui::TableHeadersRow();
  for (int k = 0; k < trace::kNumEvents; k++) {
    const trace::EventDef& d = trace::kEventDefs[k];
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    ImGui::PushID(k);
    if (ImGui::Selectable(d.name, vs_.kindFilter == k, ImGuiSelectableFlags_SpanAllColumns)) {
      vs_.kindFilter = vs_.kindFilter == k ? -1 : k;
      vs_.matchesDirty = true;
    }
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("Click to mark these events on the timeline");
    ImGui::PopID();
    ImGui::TableNextColumn();
    ImGui::Text("%lld", (long long)st.eventCounts[size_t(k)]);
    ImGui::TableNextColumn();
    ImGui::TextDisabled("%s", d.goFunc);
    ImGui::TableNextColumn();
    ImGui::TextUnformatted(d.summary);
  }
  ImGui::EndTable();
}

// ---------------------------------------------------------------------------
// [SECTION] Find results

void Ui::drawFindResults() {
  const model::TraceModel& m = *doc_->model;
  if (vs_.kindFilter < 0) {
    ImGui::TextDisabled("Choose an event kind in the toolbar (and optionally goroutine ids) to list its events here.");
    return;
  }
  ImGui::Text("%zu %s events%s%s", vs_.kindMatches.size(), trace::kEventDefs[vs_.kindFilter].name,
              vs_.gFilterActive ? " of goroutines " : "", vs_.gFilterActive ? vs_.gFilterText : "");
  ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_ScrollY |
                          ImGuiTableFlags_SizingFixedFit;
  if (!ImGui::BeginTable("##find", 5, flags, ImGui::GetContentRegionAvail())) return;
  float em = ImGui::GetFontSize();
  ImGui::TableSetupScrollFreeze(0, 1);
  ImGui::TableSetupColumn("time", 0, em * 8);
  ImGui::TableSetupColumn("M", 0, em * 3);
  ImGui::TableSetupColumn("P", 0, em * 3);
  ImGui::TableSetupColumn("G", 0, em * 4);
  ImGui::TableSetupColumn("event", ImGuiTableColumnFlags_WidthStretch);
  ImGui::TableHeadersRow();
  ImGuiListClipper clipper;
  clipper.Begin(int(vs_.kindMatches.size()));
  while (clipper.Step()) {
    for (int r = clipper.DisplayStart; r < clipper.DisplayEnd; r++) {
      EventIndex e = vs_.kindMatches[size_t(r)];
      const model::Event& ev = m.event(e);
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      ImGui::PushID(e);
      std::string t = formatTimestamp(double(ev.ts), 1);
      bool sel = vs_.selection.set == ItemSet::Event && vs_.selection.index == e;
      if (ImGui::Selectable(t.c_str(), sel, ImGuiSelectableFlags_SpanAllColumns)) jumpToEvent(e);
      ImGui::PopID();
      auto id = [](int v) {
        ImGui::TableNextColumn();
        if (v < 0)
          ImGui::TextDisabled("—");
        else
          ImGui::Text("%d", v);
      };
      id(ev.m);
      id(ev.p);
      id(ev.g);
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(m.formatEvent(e).c_str());
    }
  }
  ImGui::EndTable();
}

}  // namespace gmps::viewer
