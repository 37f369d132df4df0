// ui_filebrowser.cpp — an ImGui-drawn file browser (std::filesystem), so opening a
// trace needs no desktop portal: folders first, traces (*.jsonl) highlighted, a path
// box to type into, recent files on the side.
#include <imgui.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <cstdlib>
#include <filesystem>

#include "core/ruler.h"
#include "ui.h"

namespace gmps::viewer {

namespace fs = std::filesystem;

namespace {

bool isTrace(const std::string& name) {
  auto ends = [&](const char* suf) {
    size_t n = std::strlen(suf);
    return name.size() >= n && name.compare(name.size() - n, n, suf) == 0;
  };
  return ends(".jsonl") || ends(".json") || ends(".trace");
}

std::string sizeText(uintmax_t n) {
  char buf[32];
  if (n < 1024) std::snprintf(buf, sizeof buf, "%ju B", n);
  else if (n < (1u << 20)) std::snprintf(buf, sizeof buf, "%.1f KiB", double(n) / 1024);
  else if (n < (1u << 30)) std::snprintf(buf, sizeof buf, "%.1f MiB", double(n) / (1 << 20));
  else std::snprintf(buf, sizeof buf, "%.2f GiB", double(n) / (1 << 30));
  return buf;
}

}  // namespace

// listDirectory fills b.entries from b.dir: folders first, then traces (or every
// file with "all files"), hidden names left out; an unreadable folder sets b.error.
void Ui::listDirectory(Browser& b) {
  std::error_code ec;
  b.entries.clear();
  b.error.clear();
  b.selected = -1;
  for (fs::directory_iterator it(b.dir, fs::directory_options::skip_permission_denied, ec), end;
       !ec && it != end; it.increment(ec)) {
    std::string name = it->path().filename().string();
    if (name.empty() || name[0] == '.') continue;
    std::error_code e2;
    bool dir = it->is_directory(e2);
    if (!dir && !b.showAll && !isTrace(name)) continue;
    uintmax_t size = dir ? 0 : it->file_size(e2);
    b.entries.push_back(Browser::Entry{name, dir, e2 ? 0 : size});
  }
  if (ec) b.error = b.dir + ": " + ec.message();
  std::sort(b.entries.begin(), b.entries.end(), [](const Browser::Entry& x, const Browser::Entry& y) {
    if (x.dir != y.dir) return x.dir;
    return x.name < y.name;
  });
  std::snprintf(b.pathBuf, sizeof b.pathBuf, "%s", b.dir.c_str());
  b.dirty = false;
}

void Ui::drawFileBrowser() {
  Browser& b = browser_;
  std::error_code ec;
  if (b.dir.empty() || !fs::is_directory(b.dir, ec)) {
    if (doc_) b.dir = fs::path(doc_->path).parent_path().string();
    if (b.dir.empty() || !fs::is_directory(b.dir, ec)) b.dir = fs::current_path(ec).string();
    b.dirty = true;
  }
  if (b.dirty) listDirectory(b);

  const ImGuiViewport* vp = ImGui::GetMainViewport();
  ImGui::SetNextWindowSize(ImVec2(std::min(980.f, vp->WorkSize.x * 0.9f), std::min(640.f, vp->WorkSize.y * 0.85f)),
                           ImGuiCond_Appearing);
  ImGui::SetNextWindowPos(ImVec2(vp->WorkPos.x + vp->WorkSize.x / 2, vp->WorkPos.y + vp->WorkSize.y / 2),
                          ImGuiCond_Appearing, ImVec2(0.5f, 0.5f));
  if (!ImGui::Begin("Open a trace", &vs_.showBrowser, ImGuiWindowFlags_NoCollapse | ImGuiWindowFlags_NoSavedSettings)) {
    ImGui::End();
    return;
  }
  std::string openPath;  // set when the user chose a file
  drawBrowserPathBar(b, openPath);
  float recentW = settings_.recent.empty() ? 0 : ImGui::GetContentRegionAvail().x * 0.34f;
  float listH = ImGui::GetContentRegionAvail().y - ImGui::GetFrameHeightWithSpacing() - 4;
  drawBrowserList(b, ImVec2(ImGui::GetContentRegionAvail().x - recentW - (recentW > 0 ? 8 : 0), listH), openPath);
  if (recentW > 0) {
    ImGui::SameLine();
    drawBrowserRecent(ImVec2(recentW, listH), openPath);
  }
  bool canOpen = b.selected >= 0 && size_t(b.selected) < b.entries.size();
  ImGui::BeginDisabled(!canOpen);
  if (ImGui::Button("Open")) {
    const Browser::Entry& e = b.entries[size_t(b.selected)];
    if (e.dir) b.dir = (fs::path(b.dir) / e.name).string(), b.dirty = true;
    else openPath = (fs::path(b.dir) / e.name).string();
  }
  ImGui::EndDisabled();
  ImGui::SameLine();
  if (ImGui::Button("Cancel")) vs_.showBrowser = false;
  ImGui::SameLine();
  ImGui::TextDisabled("Double-click a trace to open it. Enter a path above and press Enter.");
  ImGui::End();
  if (!openPath.empty()) {
    settings_.browserDir = b.dir;
    vs_.showBrowser = false;
    open(openPath);
  }
}

// drawBrowserPathBar: Up, Home, the path box (Enter opens a folder or a file) and the
// "all files" switch.
void Ui::drawBrowserPathBar(Browser& b, std::string& openPath) {
  std::error_code ec;
  if (ImGui::Button("Up")) {
    b.dir = fs::path(b.dir).parent_path().string();
    b.dirty = true;
  }
  ImGui::SameLine();
  if (ImGui::Button("Home")) {
    const char* home = std::getenv("HOME");
    if (home) b.dir = home, b.dirty = true;
  }
  ImGui::SameLine();
  ImGui::SetNextItemWidth(-ImGui::GetFontSize() * 9);
  if (ImGui::InputText("##path", b.pathBuf, sizeof b.pathBuf, ImGuiInputTextFlags_EnterReturnsTrue)) {
    fs::path p(b.pathBuf);
    if (fs::is_directory(p, ec)) b.dir = p.string(), b.dirty = true;
    else openPath = p.string();
  }
  ImGui::SameLine();
  if (ImGui::Checkbox("all files", &b.showAll)) b.dirty = true;
}

// drawBrowserList: the folder's entries with their sizes; a double-click enters a
// folder or opens a trace.
void Ui::drawBrowserList(Browser& b, ImVec2 size, std::string& openPath) {
  ImGui::BeginChild("##files", size, true);
  if (!b.error.empty()) ImGui::TextColored(ImVec4(1, 0.5f, 0.5f, 1), "%s", b.error.c_str());
  if (b.entries.empty() && b.error.empty())
    ImGui::TextDisabled(b.showAll ? "(empty folder)" : "(no .jsonl traces here; tick \"all files\" to see everything)");
  ImGuiListClipper clipper;
  clipper.Begin(int(b.entries.size()));
  while (!b.dirty && clipper.Step()) {
    for (int i = clipper.DisplayStart; i < clipper.DisplayEnd && !b.dirty; i++) {
      const Browser::Entry& e = b.entries[size_t(i)];
      ImGui::PushID(i);
      std::string label = e.dir ? e.name + "/" : e.name;
      if (ImGui::Selectable(label.c_str(), b.selected == i, ImGuiSelectableFlags_AllowDoubleClick)) {
        b.selected = i;
        if (ImGui::IsMouseDoubleClicked(0)) {
          if (e.dir) {
            b.dir = (fs::path(b.dir) / e.name).string();
            b.dirty = true;
          } else {
            openPath = (fs::path(b.dir) / e.name).string();
          }
        }
      }
      if (!e.dir) {
        ImGui::SameLine(ImGui::GetContentRegionAvail().x - ImGui::GetFontSize() * 5);
        ImGui::TextDisabled("%s", sizeText(e.size).c_str());
      }
      ImGui::PopID();
    }
  }
  ImGui::EndChild();
}

// drawBrowserRecent: the recently opened traces, one click each.
void Ui::drawBrowserRecent(ImVec2 size, std::string& openPath) {
  ImGui::BeginChild("##recent", size, true);
  ImGui::TextDisabled("Recent");
  for (size_t i = 0; i < settings_.recent.size(); i++) {
    ImGui::PushID(int(i) + 100000);
    std::string name = fs::path(settings_.recent[i]).filename().string();
    if (ImGui::Selectable(name.c_str())) openPath = settings_.recent[i];
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", settings_.recent[i].c_str());
    ImGui::PopID();
  }
  ImGui::EndChild();
}

}  // namespace gmps::viewer
