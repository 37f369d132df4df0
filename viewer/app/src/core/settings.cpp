#include "core/settings.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace gmps::viewer {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

bool toInt(std::string_view v, int& out) {
  std::string s(v);
  char* end = nullptr;
  errno = 0;
  long x = std::strtol(s.c_str(), &end, 10);
  if (s.empty() || *end != '\0' || errno != 0) return false;
  out = int(x);
  return true;
}

bool toFloat(std::string_view v, float& out, float lo, float hi) {
  std::string s(v);
  char* end = nullptr;
  float x = std::strtof(s.c_str(), &end);
  if (s.empty() || *end != '\0' || !(x >= lo && x <= hi)) return false;
  out = x;
  return true;
}

void toBool(std::string_view v, bool& out) {
  if (v == "1" || v == "true" || v == "yes") out = true;
  if (v == "0" || v == "false" || v == "no") out = false;
}

}  // namespace

std::string settingsPath() {
  namespace fs = std::filesystem;
  const char* xdg = std::getenv("XDG_CONFIG_HOME");
  fs::path base;
  if (xdg != nullptr && xdg[0] == '/') {
    base = xdg;
  } else {
    const char* home = std::getenv("HOME");
    base = fs::path(home != nullptr && home[0] != '\0' ? home : "/tmp") / ".config";
  }
  return (base / "gmpscope" / "viewer.ini").string();
}

Settings parseSettings(std::string_view text) {
  Settings s;
  std::vector<std::string> recent;
  while (!text.empty()) {
    size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    line = trim(line);
    if (line.empty() || line[0] == '#' || line[0] == ';') continue;
    size_t eq = line.find('=');
    if (eq == std::string_view::npos) continue;
    std::string_view k = trim(line.substr(0, eq)), v = trim(line.substr(eq + 1));
    int i = 0;
    if (k == "window.x" && toInt(v, i)) s.winX = i;
    if (k == "window.y" && toInt(v, i)) s.winY = i;
    if (k == "window.w" && toInt(v, i) && i >= 320 && i <= 16384) s.winW = i;
    if (k == "window.h" && toInt(v, i) && i >= 240 && i <= 16384) s.winH = i;
    if (k == "window.maximized") toBool(v, s.maximized);
    if (k == "layout.side") toFloat(v, s.sideWidth, 120, 4000);
    if (k == "layout.bottom") toFloat(v, s.bottomHeight, 80, 4000);
    if (k == "panel.details") toBool(v, s.showDetails);
    if (k == "panel.stats") toBool(v, s.showStats);
    if (k == "panel.legend") toBool(v, s.showLegend);
    if (k == "timeline.flows") toBool(v, s.showFlows);
    if (k == "ui.font_size") toFloat(v, s.fontSize, 10, 40);
    if (k == "ui.theme") s.lightTheme = v == "light";
    if (k == "group.collapsed" && !v.empty()) s.collapsedGroups.emplace_back(v);
    if (k == "recent" && !v.empty() && recent.size() < Settings::kMaxRecent)
      recent.emplace_back(v);
    if (k == "browser.dir") s.browserDir = std::string(v);
  }
  s.recent = std::move(recent);
  return s;
}

std::string formatSettings(const Settings& s) {
  std::ostringstream o;
  o << "# gmpscope viewer settings (rewritten on exit)\n";
  o << "window.x = " << s.winX << "\nwindow.y = " << s.winY << "\n";
  o << "window.w = " << s.winW << "\nwindow.h = " << s.winH << "\n";
  o << "window.maximized = " << (s.maximized ? 1 : 0) << "\n";
  o << "layout.side = " << s.sideWidth << "\nlayout.bottom = " << s.bottomHeight << "\n";
  o << "panel.details = " << (s.showDetails ? 1 : 0) << "\n";
  o << "panel.stats = " << (s.showStats ? 1 : 0) << "\n";
  o << "panel.legend = " << (s.showLegend ? 1 : 0) << "\n";
  o << "timeline.flows = " << (s.showFlows ? 1 : 0) << "\n";
  o << "ui.font_size = " << s.fontSize << "\n";
  o << "ui.theme = " << (s.lightTheme ? "light" : "dark") << "\n";
  for (const std::string& g : s.collapsedGroups) o << "group.collapsed = " << g << "\n";
  o << "browser.dir = " << s.browserDir << "\n";
  for (const std::string& r : s.recent) o << "recent = " << r << "\n";
  return o.str();
}

Settings loadSettings(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Settings{};
  std::stringstream ss;
  ss << in.rdbuf();
  return parseSettings(ss.str());
}

std::string saveSettings(const std::string& path, const Settings& s) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::create_directories(fs::path(path).parent_path(), ec);
  std::string tmp = path + ".tmp";
  FILE* f = std::fopen(tmp.c_str(), "w");
  if (f == nullptr) return path + ": cannot save settings: " + std::strerror(errno);
  std::string text = formatSettings(s);
  bool ok = std::fwrite(text.data(), 1, text.size(), f) == text.size();
  ok = std::fclose(f) == 0 && ok;
  if (!ok || std::rename(tmp.c_str(), path.c_str()) != 0) {
    std::string err = path + ": cannot save settings: " + std::strerror(errno);
    std::remove(tmp.c_str());
    return err;
  }
  return "";
}

void addRecent(Settings& s, const std::string& path) {
  s.recent.erase(std::remove(s.recent.begin(), s.recent.end(), path), s.recent.end());
  s.recent.insert(s.recent.begin(), path);
  if (s.recent.size() > Settings::kMaxRecent) s.recent.resize(Settings::kMaxRecent);
}

bool isCollapsed(const Settings& s, std::string_view group) {
  return std::find(s.collapsedGroups.begin(), s.collapsedGroups.end(), group) !=
         s.collapsedGroups.end();
}

void setCollapsed(Settings& s, std::string_view group, bool collapsed) {
  auto it = std::find(s.collapsedGroups.begin(), s.collapsedGroups.end(), group);
  if (collapsed && it == s.collapsedGroups.end()) s.collapsedGroups.emplace_back(group);
  if (!collapsed && it != s.collapsedGroups.end()) s.collapsedGroups.erase(it);
}

}  // namespace gmps::viewer
