// ui_scheduler.cpp — the scheduler panel: the exact state of every P, run queue and M
// at the play head, from the model's replay (TraceModel::stateAfter, which seeks from
// periodic snapshots), laid out by core/sched_layout.h. When the play head moves a few
// events, the G tokens slide to their new places (core/tween.h) and a move of several
// Gs at once (a steal, runqputslow, a global batch) gets an arrow. Hovering or clicking
// a G says where it sits and what it waits for (core/why.h).
//
// [SECTION] State at the play head
// [SECTION] Panel
// [SECTION] Rows: Ps, the global queue, the Ms
// [SECTION] Tokens and moves
// [SECTION] Mouse
// [SECTION] Why is this G waiting?
// [SECTION] Layout dump for tests
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "core/inspect.h"
#include "core/ruler.h"
#include "ui.h"

namespace gmps::viewer {

namespace {

using model::MStatus;

constexpr double kArrowSeconds = 1.4;

// isSysmon: the M runs sysmon — known from the whole trace (its lane), so the chip says
// so before sysmon's first tick too.
bool isSysmon(const model::TraceModel& m, const model::MachineState& ms) {
  return ms.sysmon || (ms.id >= 0 && size_t(ms.id) < m.machines().size() && m.machines()[size_t(ms.id)].sysmon);
}

MState chipState(const model::TraceModel& m, const model::MachineState& ms) {
  if (isSysmon(m, ms)) return MState::Sysmon;
  switch (ms.status) {
    case MStatus::Running: return MState::Running;
    case MStatus::Spinning: return MState::Spinning;
    case MStatus::Parked: return MState::Parked;
    case MStatus::Syscall: return MState::Syscall;
    default: return MState::Idle;
  }
}

ImVec2 at(ImVec2 o, float x, float y) { return ImVec2(o.x + x, o.y + y); }

void centreText(ImDrawList* dl, ImFont* f, const Box& b, ImVec2 o, ImU32 col, const char* text) {
  ImVec2 ts = f->CalcTextSizeA(f->FontSize, FLT_MAX, 0, text);
  dl->AddText(f, f->FontSize, at(o, b.cx() - ts.x / 2, b.cy() - ts.y / 2), col, text);
}

std::string gLabel(int32_t g) { return "G" + std::to_string(g); }

// bulletWrapped: ImGui 1.86's BulletText does not wrap.
void bulletWrapped(const std::string& text) {
  ImGui::Bullet();
  ImGui::TextWrapped("%s", text.c_str());
}

}  // namespace

// ---------------------------------------------------------------------------
// [SECTION] State at the play head

void Ui::refreshSchedState() {
  const model::TraceModel& m = *doc_->model;
  const EventIndex cur = vs_.replay.cur;
  if (sched_.model == &m && sched_.cur == cur) return;
  const EventIndex prev = sched_.model == &m ? sched_.cur : -2;
  sched_.model = &m;
  sched_.cur = cur;
  if (!sched_.cursor || &sched_.cursor->model() != &m)
    sched_.cursor = std::make_unique<model::StateCursor>(m);
  sched_.state = sched_.cursor->stateAfter(cur + 1);
  std::fill(std::begin(sched_.counts), std::end(sched_.counts), 0);
  for (const model::GoroutineState& g : sched_.state.goroutines) sched_.counts[int(g.status)]++;
  sched_.taken.clear();
  for (const model::ProcState& ps : sched_.state.procs) sched_.taken.push_back(takenBy(m, sched_.state, cur, ps.id));
  findSysmonSleep();
  measureChips();
  // A move to animate (playing or stepping only), and the arrow of a multi-G move.
  double secs = prev == -2 || !vs_.animateMove ? 0 : moveSeconds(vs_.replay, m.events(), prev, cur);
  vs_.animateMove = false;
  sched_.retargetSeconds = secs;
  sched_.retargetPending = true;
  sched_.arrowEvent = secs > 0 && cur > prev ? lastMultiMove(prev, cur) : kNoEvent;
  sched_.arrowStart = vs_.animClock;
}

// findSysmonSleep: the sleep sysmon is in, if it is in one at the play head (core/why.h
// sysmonPhase: a SysmonTick's sleep lies before it, so the next tick's sleep may not have
// begun yet — sysmon is then awake, working since its last tick).
void Ui::findSysmonSleep() {
  sched_.sysmonSlept = sched_.sysmonWakes = -1;
  SysmonPhase ph = sysmonPhase(*doc_->model, sched_.cur, vs_.replay.t);
  if (ph.kind != SysmonPhase::Kind::Asleep) return;
  sched_.sysmonSlept = ph.sleep;
  sched_.sysmonWakes = vs_.replay.t + ph.left;
}

// measureChips: each M chip's text and width (the layout measures no text itself).
void Ui::measureChips() {
  sched_.chipText.clear();
  sched_.chipW.clear();
  ImFont* f = fonts_.small ? fonts_.small : ImGui::GetFont();
  for (const model::MachineState& ms : sched_.state.machines) {
    sched_.chipText.push_back(machineLabel(ms));
    sched_.chipW.push_back(f->CalcTextSizeA(f->FontSize, FLT_MAX, 0, sched_.chipText.back().c_str()).x +
                           ImGui::GetFontSize() * 1.3f);
  }
}

// lastMultiMove: the last event in (from, to] that moves several Gs between queues.
EventIndex Ui::lastMultiMove(EventIndex from, EventIndex to) const {
  const model::TraceModel& m = *doc_->model;
  for (EventIndex e = to; e > from && e >= 0; e--) {
    model::Ev k = m.event(e).ev;
    if (k == model::Ev::RunqSteal || k == model::Ev::RunqPutSlow || k == model::Ev::RunqGet) return e;
  }
  return kNoEvent;
}

std::string Ui::machineLabel(const model::MachineState& ms) const {
  std::string s = "M" + std::to_string(ms.id) + " · ";
  auto onP = [&] { return ms.p >= 0 ? " · P" + std::to_string(ms.p) : std::string(); };
  if (isSysmon(*doc_->model, ms)) {
    s += "sysmon";
    std::string phase = sysmonText(sysmonPhase(*doc_->model, sched_.cur, vs_.replay.t));
    if (!phase.empty()) s += " · " + phase;
    return s;
  }
  switch (ms.status) {
    case MStatus::Running: return s + "running " + gLabel(ms.curg) + onP();
    case MStatus::Spinning: return s + "spinning" + onP();
    case MStatus::Parked: return s + "parked";
    case MStatus::Syscall: return s + "syscall " + gLabel(ms.curg) + (ms.p >= 0 ? onP() : " · no P");
    case MStatus::Idle: return s + (ms.p >= 0 ? "scheduling" + onP() : "idle");
    default: return s + model::mStatusName(ms.status);
  }
}

SchedMetrics Ui::schedMetrics(float width) const {
  const float fs = ImGui::GetFontSize();
  ImFont* f = fonts_.small ? fonts_.small : ImGui::GetFont();
  auto textW = [&](const std::string& t) { return f->CalcTextSizeA(f->FontSize, FLT_MAX, 0, t.c_str()).x; };
  SchedMetrics k;
  k.width = std::max(width, fs * 20);
  int32_t maxG = doc_ && !doc_->gIds.empty() ? doc_->gIds.back() : 9;
  k.tokenW = std::round(std::max(fs * 2.3f, textW(gLabel(maxG)) + fs * 0.8f));
  k.tokenH = std::round(fs * 1.3f);
  k.gap = std::round(fs * 0.25f);
  k.rowH = k.tokenH + std::round(fs * 0.3f);
  k.rowGap = 3;
  k.headerH = std::round(fs * 1.2f);
  k.labelW = std::round(fs * 2.4f);
  k.mW = std::round(fs * 3.4f);
  k.slotPad = std::round(fs * 0.4f);
  k.chipH = std::round(fs * 1.45f);
  k.chipGap = std::round(fs * 0.4f);
  k.sectionGap = std::round(fs * 0.55f);
  k.moreW = std::round(textW("+00000") + fs * 0.6f);
  return k;
}

// ---------------------------------------------------------------------------
// [SECTION] Panel

void Ui::drawSchedulerPanel(const ImVec2& size) {
  if (!doc_) return;
  refreshSchedState();
  drawSchedCaption();
  ImVec2 avail = ImGui::GetContentRegionAvail();
  const bool side = avail.x > ImGui::GetFontSize() * 40;
  const float whyW = side ? std::clamp(avail.x * 0.3f, ImGui::GetFontSize() * 16, ImGui::GetFontSize() * 28) : 0;
  const float rowsW = side ? avail.x - whyW - 8 : avail.x;
  ImGui::BeginChild("##schedrows", ImVec2(rowsW, avail.y), false);
  drawSchedRows(ImVec2(rowsW, avail.y));
  ImGui::EndChild();
  if (side) {
    ImGui::SameLine(0, 8);
    ImGui::BeginChild("##why", ImVec2(whyW, avail.y), true);
    drawWhyColumn();
    ImGui::EndChild();
  }
  (void)size;
}

void Ui::drawSchedCaption() {
  const model::TraceModel& m = *doc_->model;
  const EventIndex cur = vs_.replay.cur;
  if (cur < 0) {
    ImGui::TextDisabled("Before the first event: nothing exists yet. Press Space to play, → to step.");
    return;
  }
  const model::Event& e = m.event(cur);
  const trace::EventDef& d = trace::eventDef(e.ev);
  ImGui::Text("After event %d at %s:", cur, formatTimestamp(double(e.ts), 1).c_str());
  ImGui::SameLine();
  ImGui::PushFont(fonts_.bold);
  ImGui::TextUnformatted(d.name);
  ImGui::PopFont();
  std::string args;
  for (int i = 0; i < d.nargs; i++) {
    std::string v = argText(m, cur, i);
    if (v.empty()) continue;
    if (v.size() > 40) v = v.substr(0, v.rfind(' ', 36)) + " …]";  // a long G list
    args += std::string(i ? "  " : "") + d.args[i].name + "=" + v;
  }
  const std::string said = model::describeEvent(m, cur);  // this event's sentence, not the kind's
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s\nGo: %s", said.c_str(), d.goFunc);
  char where[96];
  std::snprintf(where, sizeof where, "on M%d%s%s", e.m, e.p >= 0 ? (" P" + std::to_string(e.p)).c_str() : "",
                e.g >= 0 ? (" G" + std::to_string(e.g)).c_str() : "");
  ImGui::SameLine();
  ImGui::TextDisabled("%s  %s", where, args.c_str());
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s\nGo: %s", said.c_str(), d.goFunc);
}

// ---------------------------------------------------------------------------
// [SECTION] Rows: Ps, the global queue, the Ms

void Ui::drawSchedRows(const ImVec2& size) {
  const ImVec2 o = ImGui::GetCursorScreenPos();
  const float sb = ImGui::GetStyle().ScrollbarSize;
  SchedMetrics k = schedMetrics(size.x - sb - 4);
  sched_.layout = layoutScheduler(sched_.state, k, sched_.chipW, sched_.taken);
  if (sched_.retargetPending) {
    sched_.tweens.retarget(sched_.layout.tokens, vs_.animClock, sched_.retargetSeconds);
    sched_.retargetPending = false;
  } else if (!sched_.tweens.moving(vs_.animClock) && !sched_.tweens.sameTargets(sched_.layout.tokens)) {
    sched_.tweens.snap(sched_.layout.tokens);  // resized
  }
  sched_.origin = o;
  // Tab bar, caption, window padding and border around the rows.
  const ImGuiStyle& st = ImGui::GetStyle();
  sched_.wantH = std::round(sched_.layout.height + ImGui::GetFrameHeightWithSpacing() +
                            ImGui::GetTextLineHeightWithSpacing() + st.WindowPadding.y * 2 + st.ItemSpacing.y * 2 + 6);
  ImGui::InvisibleButton("##schedcanvas", ImVec2(k.width, std::max(sched_.layout.height, 1.f)));
  ImDrawList* dl = ImGui::GetWindowDrawList();
  if (sched_.state.procs.empty()) {
    dl->AddText(at(o, 4, 2), ImGui::GetColorU32(ImGuiCol_TextDisabled),
                "No P exists yet: schedinit makes GOMAXPROCS of them (procresize).");
  }
  drawSchedFrames(dl, o);
  drawMachineChips(dl, o);
  sched_.tweens.sample(vs_.animClock, sched_.drawn);
  drawSchedTokens(dl, o);
  drawMoveArrow(dl, o);
  handleSchedInput(o);
}

void Ui::drawSchedFrames(ImDrawList* dl, ImVec2 o) {
  const SchedLayout& l = sched_.layout;
  ImFont* sf = fonts_.small ? fonts_.small : ImGui::GetFont();
  const float hy = (l.header.h() - sf->FontSize) / 2;
  auto caption = [&](float x, float y, const char* t) { dl->AddText(sf, sf->FontSize, at(o, x, y), pal().textDim, t); };
  if (!sched_.state.procs.empty()) {
    caption(4, hy, "P");
    caption(l.procs.empty() ? 0 : l.procs[0].m.x0 + 4, hy, "M");
    caption(l.colRunning, hy, "running");
    caption(l.colRunnext, hy, "runnext");
    caption(l.colQueue, hy, "local run queue (p.runq), head → tail");
  }
  for (const ProcRow& r : l.procs) drawProcRow(dl, o, r);
  drawGlobalRow(dl, o);
  drawThreadsHeader(dl, o);
}

// drawProcRow: one P's frame — its name, the M holding it, the running and runnext
// slots, the queue's track and its "+N" chip. The tokens are drawn over it.
void Ui::drawProcRow(ImDrawList* dl, ImVec2 o, const ProcRow& r) {
  const Palette& p = pal();
  ImFont* sf = fonts_.small ? fonts_.small : ImGui::GetFont();
  const model::ProcState& ps = sched_.state.procs[size_t(r.p)];
  dl->AddRectFilled(at(o, r.row.x0, r.row.y0), at(o, r.row.x1, r.row.y1), withAlpha(p.laneAlt, r.idle ? 110 : 255), 4);
  char label[16];
  std::snprintf(label, sizeof label, "P%d", r.p);
  centreText(dl, fonts_.bold ? fonts_.bold : ImGui::GetFont(), r.label, o, withAlpha(p.text, r.idle ? 130 : 255), label);
  if (r.idle) {
    centreText(dl, sf, r.m, o, p.textDim, "idle");
  } else {
    Rgba mc = p.mState[int(MState::Idle)];
    for (const model::MachineState& x : sched_.state.machines)
      if (x.id == ps.m) mc = p.mState[int(chipState(*doc_->model, x))];
    Box chip{r.m.x0 + 4, r.running.y0, r.m.x1 - 6, r.running.y1};
    dl->AddRectFilled(at(o, chip.x0, chip.y0), at(o, chip.x1, chip.y1), mc, 4);
    std::snprintf(label, sizeof label, "M%d", ps.m);
    centreText(dl, sf, chip, o, textOn(mc), label);
  }
  dl->AddRect(at(o, r.running.x0 - 1, r.running.y0 - 1), at(o, r.running.x1 + 1, r.running.y1 + 1),
              withAlpha(p.gState[int(GState::Running)], r.idle ? 60 : 150), 5);
  dl->AddRect(at(o, r.runnext.x0 - 1, r.runnext.y0 - 1), at(o, r.runnext.x1 + 1, r.runnext.y1 + 1),
              withAlpha(p.runqRunnext, r.idle ? 60 : 160), 5);
  const Box& q = r.runq.queue;
  dl->AddRectFilled(at(o, q.x0 - 3, q.y0 - 2), at(o, q.x1, q.y1 + 2), withAlpha(p.runqLocal, 26), 5);
  drawMoreChip(dl, o, r.runq);
}

void Ui::drawGlobalRow(ImDrawList* dl, ImVec2 o) {
  const Palette& p = pal();
  const SchedLayout& l = sched_.layout;
  ImFont* sf = fonts_.small ? fonts_.small : ImGui::GetFont();
  const Box& gq = l.global.queue;
  dl->AddRectFilled(at(o, l.globalRow.x0, l.globalRow.y0), at(o, l.globalRow.x1, l.globalRow.y1),
                    withAlpha(p.laneAlt, 200), 4);
  centreText(dl, sf, l.globalLabel, o, p.text, "global queue");
  dl->AddRectFilled(at(o, gq.x0 - 3, gq.y0 - 2), at(o, gq.x1, gq.y1 + 2), withAlpha(p.runqGlobal, 30), 5);
  if (sched_.state.globalQueue.empty())
    dl->AddText(sf, sf->FontSize, at(o, gq.x0 + 6, gq.cy() - sf->FontSize / 2), p.textDim, "empty (sched.runq)");
  drawMoreChip(dl, o, l.global);
}

void Ui::drawMoreChip(ImDrawList* dl, ImVec2 o, const QueueRow& q) {
  if (q.hidden <= 0) return;
  const Palette& p = pal();
  char t[24];
  std::snprintf(t, sizeof t, "+%d", q.hidden);
  dl->AddRectFilled(at(o, q.more.x0, q.more.y0), at(o, q.more.x1, q.more.y1), p.folded, 4);
  centreText(dl, fonts_.small ? fonts_.small : ImGui::GetFont(), q.more, o, textOn(p.folded), t);
}

// drawThreadsHeader: the caption over the M chips, with how many Ps are idle and how
// many Ms spin (the two numbers wakep and the stealing logic look at).
void Ui::drawThreadsHeader(ImDrawList* dl, ImVec2 o) {
  const model::SchedState& s = sched_.state;
  int spinning = 0;
  for (const model::MachineState& ms : s.machines) spinning += ms.status == MStatus::Spinning;
  std::string hdr = "Threads (M)";
  if (!s.procs.empty()) {
    hdr += "   ·   idle Ps: ";
    if (s.idleProcs.empty()) hdr += "none";
    for (size_t i = 0; i < s.idleProcs.size(); i++) hdr += (i ? ", P" : "P") + std::to_string(s.idleProcs[i]);
    hdr += "   ·   spinning Ms: " + std::to_string(spinning);
  }
  ImFont* sf = fonts_.small ? fonts_.small : ImGui::GetFont();
  const Box& h = sched_.layout.mHeader;
  dl->AddText(sf, sf->FontSize, at(o, 4, h.y0 + (h.h() - sf->FontSize) / 2), pal().textDim, hdr.c_str());
}

void Ui::drawMachineChips(ImDrawList* dl, ImVec2 o) {
  const Palette& p = pal();
  ImFont* sf = fonts_.small ? fonts_.small : ImGui::GetFont();
  for (const MChip& c : sched_.layout.ms) {
    const model::MachineState& ms = sched_.state.machines[c.state];
    Rgba col = p.mState[int(chipState(*doc_->model, ms))];
    dl->AddRectFilled(at(o, c.box.x0, c.box.y0), at(o, c.box.x1, c.box.y1), mix(p.canvas, col, 0.3f), 5);
    dl->AddRectFilled(at(o, c.box.x0, c.box.y0), at(o, c.box.x0 + 6, c.box.y1), col, 5, ImDrawFlags_RoundCornersLeft);
    const std::string& t = sched_.chipText[c.state];
    ImVec2 ts = sf->CalcTextSizeA(sf->FontSize, FLT_MAX, 0, t.c_str());
    dl->AddText(sf, sf->FontSize, at(o, c.box.x0 + 12, c.box.cy() - ts.y / 2), p.text, t.c_str());
  }
}

// ---------------------------------------------------------------------------
// [SECTION] Tokens and moves

void Ui::drawSchedTokens(ImDrawList* dl, ImVec2 o) {
  const Palette& p = pal();
  ImFont* sf = fonts_.small ? fonts_.small : ImGui::GetFont();
  const int32_t about = vs_.replay.cur >= 0 ? eventG(*doc_->model, vs_.replay.cur) : -1;
  char label[24];
  for (const DrawnToken& t : sched_.drawn) {
    int a = int(255 * std::clamp(t.alpha, 0.f, 1.f));
    if (const TokenBox* tb = sched_.layout.tokenOf(t.g); tb && tb->slot == Slot::Taken) a = a * 3 / 5;
    Rgba c = gColor(t.g);
    dl->AddRectFilled(at(o, t.box.x0, t.box.y0), at(o, t.box.x1, t.box.y1), withAlpha(c, a), 5);
    std::snprintf(label, sizeof label, "G%d", t.g);
    centreText(dl, sf, t.box, o, withAlpha(textOn(c), a), label);
    if (t.leaving) continue;
    if (t.g == vs_.schedSelectedG || t.g == vs_.highlightG)
      dl->AddRect(at(o, t.box.x0 - 2, t.box.y0 - 2), at(o, t.box.x1 + 2, t.box.y1 + 2), withAlpha(p.highlightG, a), 6,
                  0, 2);
    else if (t.g == about)
      dl->AddRect(at(o, t.box.x0 - 2, t.box.y0 - 2), at(o, t.box.x1 + 2, t.box.y1 + 2), withAlpha(p.selection, a), 6,
                  0, 1.5f);
  }
}

void Ui::drawMoveArrow(ImDrawList* dl, ImVec2 o) {
  if (sched_.arrowEvent == kNoEvent) return;
  double age = vs_.animClock - sched_.arrowStart;
  if (age > kArrowSeconds) {
    sched_.arrowEvent = kNoEvent;
    return;
  }
  MoveArrow a = arrowFor(*doc_->model, sched_.arrowEvent, sched_.layout);
  if (a.kind == MoveArrow::Kind::None) return;
  const Palette& p = pal();
  int alpha = int(255 * std::clamp((kArrowSeconds - age) / (kArrowSeconds * 0.4), 0.0, 1.0));
  Rgba c = withAlpha(a.kind == MoveArrow::Kind::Steal ? p.flowSteal : p.runqGlobal, alpha);
  // A curve bulging to the right from queue to queue, an arrowhead at its end.
  ImVec2 p0 = at(o, a.x0, a.y0), p3 = at(o, a.x1, a.y1);
  float bend = std::max(40.f, std::fabs(p3.y - p0.y) * 0.8f);
  ImVec2 p1(p0.x + bend, p0.y), p2(p3.x + bend, p3.y);
  dl->AddBezierCubic(p0, p1, p2, p3, c, 2.5f);
  dl->AddTriangleFilled(ImVec2(p3.x, p3.y), ImVec2(p3.x + 10, p3.y - 6), ImVec2(p3.x + 10, p3.y + 6), c);
  const char* what = a.kind == MoveArrow::Kind::Steal      ? "stole"
                     : a.kind == MoveArrow::Kind::ToGlobal ? "runqputslow:"
                                                           : "globrunqget:";
  char label[64];
  std::snprintf(label, sizeof label, "%s %d G%s", what, a.count, a.count == 1 ? "" : "s");
  ImVec2 mid((p0.x + p3.x) / 2 + bend * 0.75f + 8, (p0.y + p3.y) / 2);
  ImVec2 ts = ImGui::CalcTextSize(label);
  ImVec2 la(mid.x, mid.y - ts.y / 2 - 2);
  dl->AddRectFilled(la, ImVec2(la.x + ts.x + 8, la.y + ts.y + 4), withAlpha(p.canvas, alpha * 9 / 10), 4);
  dl->AddText(ImVec2(la.x + 4, la.y + 2), withAlpha(p.text, alpha), label);
}

// ---------------------------------------------------------------------------
// [SECTION] Mouse

void Ui::handleSchedInput(ImVec2 o) {
  vs_.schedHoverG = -1;
  const bool hovered = ImGui::IsItemHovered();
  const ImVec2 mp = ImGui::GetIO().MousePos;
  const float x = mp.x - o.x, y = mp.y - o.y;
  if (hovered) {
    for (const DrawnToken& t : sched_.drawn)
      if (!t.leaving && t.box.contains(x, y)) vs_.schedHoverG = t.g;
  }
  if (ImGui::IsItemClicked(0)) {
    int32_t g = vs_.schedHoverG;
    vs_.schedSelectedG = g >= 0 && g != vs_.schedSelectedG ? g : -1;
    if (g >= 0) vs_.highlightG = vs_.schedSelectedG;
  }
  if (!hovered) return;
  if (vs_.schedHoverG >= 0) {
    ImGui::BeginTooltip();
    ImGui::PushTextWrapPos(ImGui::GetFontSize() * 30);
    GExplanation x2 = explainG(*doc_->model, sched_.state, vs_.replay.cur, vs_.replay.t, vs_.schedHoverG);
    ImGui::TextUnformatted(x2.headline.c_str());
    for (const std::string& w : x2.waitsFor) bulletWrapped(w);
    if (!x2.next.empty()) ImGui::TextDisabled("%s", x2.next.c_str());
    ImGui::TextDisabled("Click to keep this on the right and highlight the G on the timeline.");
    ImGui::PopTextWrapPos();
    ImGui::EndTooltip();
    return;
  }
  for (const MChip& c : sched_.layout.ms) {
    if (!c.box.contains(x, y)) continue;
    const model::MachineState& ms = sched_.state.machines[c.state];
    ImGui::SetTooltip("M%d: %s%s", ms.id, isSysmon(*doc_->model, ms) ? "runs sysmon, without a P (proc.go sysmon)" :
                      model::mStatusName(ms.status), ms.p >= 0 ? (", holds P" + std::to_string(ms.p)).c_str() : "");
  }
}

// ---------------------------------------------------------------------------
// [SECTION] Why is this G waiting?

void Ui::drawWhyColumn() {
  const int32_t g = vs_.schedHoverG >= 0 ? vs_.schedHoverG : vs_.schedSelectedG;
  ImGui::PushTextWrapPos(0);
  if (g < 0) {
    sectionTitle("Why is this G waiting?");
    ImGui::TextWrapped("Hover over or click a goroutine (G) to see where it sits and what it waits for.");
    ImGui::Spacing();
    const int32_t* n = sched_.counts;
    ImGui::TextDisabled("At the play head: %d running, %d runnable, %d blocked, %d in a system call; %d ended.",
                        n[int(model::GStatus::Running)], n[int(model::GStatus::Runnable)],
                        n[int(model::GStatus::Waiting)], n[int(model::GStatus::Syscall)],
                        sched_.state.deadGoroutines);
    ImGui::PopTextWrapPos();
    return;
  }
  if (sched_.whyG != g || sched_.whyCur != vs_.replay.cur) {
    sched_.why = explainG(*doc_->model, sched_.state, vs_.replay.cur, vs_.replay.t, g);
    sched_.whyG = g;
    sched_.whyCur = vs_.replay.cur;
  }
  const GExplanation& x = sched_.why;
  ImGui::PushFont(fonts_.bold);
  ImGui::TextUnformatted(x.headline.c_str());
  ImGui::PopFont();
  if (!x.since.empty()) ImGui::TextDisabled("%s", x.since.c_str());
  if (!x.waitsFor.empty()) {
    ImGui::Spacing();
    ImGui::TextUnformatted(x.status == model::GStatus::Runnable ? "It waits because:" : "Note:");
    for (const std::string& w : x.waitsFor) bulletWrapped(w);
  }
  if (!x.next.empty()) {
    ImGui::Spacing();
    ImGui::TextUnformatted("What happens next:");
    ImGui::TextDisabled("%s", x.next.c_str());
  }
  if (vs_.schedSelectedG >= 0 && ImGui::SmallButton("Clear")) vs_.schedSelectedG = -1;
  ImGui::PopTextWrapPos();
}

// ---------------------------------------------------------------------------
// [SECTION] Layout dump for tests

std::string Ui::schedulerJson() const {
  if (!sched_.model) return "null";
  const ImVec2 o = sched_.origin;
  auto box = [&](const Box& b) {
    char buf[128];
    std::snprintf(buf, sizeof buf, "[%.1f,%.1f,%.1f,%.1f]", o.x + b.x0, o.y + b.y0, o.x + b.x1, o.y + b.y1);
    return std::string(buf);
  };
  std::string out = "{\"cur\":" + std::to_string(sched_.cur) + ",\"procs\":[";
  for (size_t i = 0; i < sched_.layout.procs.size(); i++) {
    const ProcRow& r = sched_.layout.procs[i];
    out += (i ? "," : "") + std::string("{\"p\":") + std::to_string(r.p) + ",\"idle\":" + (r.idle ? "true" : "false") +
           ",\"row\":" + box(r.row) + ",\"running\":" + box(r.running) + ",\"runnext\":" + box(r.runnext) +
           ",\"queue\":" + box(r.runq.queue) + ",\"shown\":" + std::to_string(r.runq.shown) +
           ",\"hidden\":" + std::to_string(r.runq.hidden) + "}";
  }
  out += "],\"global\":{\"queue\":" + box(sched_.layout.global.queue) + ",\"shown\":" +
         std::to_string(sched_.layout.global.shown) + ",\"hidden\":" + std::to_string(sched_.layout.global.hidden) +
         "},\"tokens\":[";
  for (size_t i = 0; i < sched_.layout.tokens.size(); i++) {
    const TokenBox& t = sched_.layout.tokens[i];
    out += (i ? "," : "") + std::string("{\"g\":") + std::to_string(t.g) + ",\"slot\":\"" + slotName(t.slot) +
           "\",\"p\":" + std::to_string(t.p) + ",\"index\":" + std::to_string(t.index) + ",\"box\":" + box(t.box) + "}";
  }
  out += "],\"ms\":[";
  for (size_t i = 0; i < sched_.layout.ms.size(); i++) {
    const MChip& c = sched_.layout.ms[i];
    out += (i ? "," : "") + std::string("{\"m\":") + std::to_string(c.m) + ",\"box\":" + box(c.box) + "}";
  }
  out += "],\"whyG\":" + std::to_string(vs_.schedSelectedG) + "}";
  return out;
}

}  // namespace gmps::viewer
