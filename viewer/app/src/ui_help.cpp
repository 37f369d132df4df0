// ui_help.cpp — the help overlay (?): every key and mouse gesture on one card; and
// the About box.
#include <imgui.h>

#include "ui.h"

namespace gmps::viewer {

void Ui::drawHelp() {
  const ImGuiViewport* vp = ImGui::GetMainViewport();
  ImGui::SetNextWindowPos(ImVec2(vp->WorkPos.x + vp->WorkSize.x / 2, vp->WorkPos.y + vp->WorkSize.y / 2),
                          ImGuiCond_Always, ImVec2(0.5f, 0.5f));
  ImGui::SetNextWindowBgAlpha(0.97f);
  if (!ImGui::Begin("Keys and mouse", &vs_.showHelp,
                    ImGuiWindowFlags_AlwaysAutoResize | ImGuiWindowFlags_NoCollapse |
                        ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoMove)) {
    ImGui::End();
    return;
  }
  struct Line {
    const char* key;
    const char* what;
  };
  static constexpr Line kTimeline[] = {
      {"mouse wheel", "zoom in/out at the mouse"},
      {"W / S", "zoom in / out (hold)"},
      {"A / D", "pan left / right (hold)"},
      {"drag (left button)", "pan in time and scroll the lanes"},
      {"Shift + wheel", "scroll the lanes"},
      {"drag on the ruler", "zoom to that range"},
      {"right-drag", "measure a range; Z zooms to it"},
      {"F or Home", "fit the whole trace"},
      {"double-click", "zoom to the span or mark"},
  };
  static constexpr Line kInspect[] = {
      {"click", "select a span or mark: details on the right"},
      {"hover", "tooltip; over a queue lane it lists the queued Gs"},
      {"click a G lane's name", "highlight that G's whole life"},
      {"H", "highlight the selected G"},
      {"[ / ]", "previous / next event of the selected G"},
      {"Z", "zoom to the selection or the measured range"},
      {"click a group header", "collapse or expand the group"},
      {"Esc", "clear the measure, the selection, close windows"},
  };
  static constexpr Line kReplay[] = {
      {"Space", "play / pause the replay"},
      {"← / →", "step back / forward one event"},
      {"Shift + ← / →", "ten events"},
      {"- / +", "slower / faster (down to one event per second)"},
      {"click the ruler", "put the play head there"},
      {"drag the ▼ handle", "scrub (or drag the bar under the toolbar)"},
      {"click a span or mark", "select it; the play head moves to its event"},
      {"hover / click a G", "in the Scheduler tab: where it sits and what it waits for"},
      {"N / B", "guided tutorial: next / back (also Page Down / Page Up)"},
  };
  static constexpr Line kApp[] = {
      {"Ctrl+O", "open a trace (or drop a file on the window)"},
      {"F5", "reload the trace"},
      {"? or F1", "this help"},
      {"Ctrl+Q", "quit"},
  };
  auto table = [&](const char* title, const Line* lines, size_t n) {
    ImGui::PushFont(fonts_.bold);
    ImGui::TextUnformatted(title);
    ImGui::PopFont();
    if (ImGui::BeginTable(title, 2, ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingFixedFit)) {
      for (size_t i = 0; i < n; i++) {
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        ImGui::PushFont(fonts_.mono);
        ImGui::TextUnformatted(lines[i].key);
        ImGui::PopFont();
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(lines[i].what);
      }
      ImGui::EndTable();
    }
    ImGui::Spacing();
  };
  table("Moving around", kTimeline, std::size(kTimeline));
  table("Inspecting", kInspect, std::size(kInspect));
  table("Replay and tutorials", kReplay, std::size(kReplay));
  table("Files and windows", kApp, std::size(kApp));
  ImGui::TextDisabled("Lanes: P = processor, M = OS thread, G = goroutine. See the legend on the right.");
  ImGui::End();
}

void Ui::drawAbout() {
  ImGui::SetNextWindowSize(ImVec2(ImGui::GetFontSize() * 32, 0), ImGuiCond_Appearing);
  if (!ImGui::Begin("About gmpscope", &vs_.showAbout, ImGuiWindowFlags_NoSavedSettings)) {
    ImGui::End();
    return;
  }
  ImGui::PushFont(fonts_.bold);
  ImGui::TextUnformatted("gmpscope");
  ImGui::PopFont();
  ImGui::TextWrapped(
      "A Go-style M:N scheduler you can watch: every scheduling decision is recorded, and this viewer "
      "shows processors, threads, run queues, steals and sysmon — what Go's own trace viewer cannot.");
  ImGui::TextDisabled("Dear ImGui %s", IMGUI_VERSION);
  ImGui::End();
}

}  // namespace gmps::viewer
