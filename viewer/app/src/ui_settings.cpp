// ui_settings.cpp — the settings window: font size, theme, panels. Everything here is
// remembered in viewer.ini.
#include <imgui.h>

#include "ui.h"

namespace gmps::viewer {

void Ui::drawSettings() {
  ImGui::SetNextWindowSize(ImVec2(ImGui::GetFontSize() * 26, 0), ImGuiCond_Appearing);
  if (!ImGui::Begin("Settings", &vs_.showSettings, ImGuiWindowFlags_NoSavedSettings)) {
    ImGui::End();
    return;
  }
  float size = settings_.fontSize;
  ImGui::SetNextItemWidth(ImGui::GetFontSize() * 10);
  ImGui::SliderFloat("font size", &size, 12, 28, "%.0f px");
  if (ImGui::IsItemDeactivatedAfterEdit() && size != settings_.fontSize) {
    settings_.fontSize = size;
    requestedFont_ = size;
    vs_.layoutDirty = true;
  }
  if (!fonts_.dejavu) ImGui::TextDisabled("(DejaVu Sans is not installed: using ImGui's own font)");
  int theme = settings_.lightTheme ? 1 : 0;
  if (ImGui::RadioButton("dark", &theme, 0) | (ImGui::SameLine(), ImGui::RadioButton("light", &theme, 1))) {
    settings_.lightTheme = theme == 1;
    applyStyle(settings_.lightTheme);
  }
  ImGui::Separator();
  ImGui::Checkbox("details panel", &settings_.showDetails);
  ImGui::Checkbox("statistics panel", &settings_.showStats);
  ImGui::Checkbox("legend", &settings_.showLegend);
  ImGui::Checkbox("flow arrows", &settings_.showFlows);
  ImGui::Separator();
  if (ImGui::Button("Clear recent files")) settings_.recent.clear();
  ImGui::SameLine();
  if (ImGui::Button("Expand all lane groups")) {
    settings_.collapsedGroups.clear();
    vs_.layoutDirty = true;
  }
  ImGui::TextDisabled("Saved in %s", settingsPath().c_str());
  ImGui::End();
}

}  // namespace gmps::viewer
