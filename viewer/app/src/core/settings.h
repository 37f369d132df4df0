// settings.h — what the viewer remembers between runs: window layout, panels,
// font size, theme, recent files, the file browser's folder.
//
// Stored as "key = value" lines in $XDG_CONFIG_HOME/gmpscope/viewer.ini (else
// ~/.config/gmpscope/viewer.ini). Unknown keys and bad values are ignored, so an old
// or hand-edited file never stops the viewer from starting.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace gmps::viewer {

struct Settings {
  // window (screen coordinates); x/y < -10000 means "let the window manager place it"
  int winX = -100000, winY = -100000, winW = 1600, winH = 900;
  bool maximized = false;
  // layout: the details column on the right and the statistics strip at the bottom
  // (pixels; 0 = a share of the window, until the user drags a splitter)
  float sideWidth = 0, bottomHeight = 0;
  bool showDetails = true, showStats = true, showLegend = true, showFlows = true;
  // look
  float fontSize = 17;
  bool lightTheme = false;
  // lane groups folded by the user, by group name ("Processors", "Goroutines", ...)
  std::vector<std::string> collapsedGroups;
  // files
  std::vector<std::string> recent;  // most recent first
  std::string browserDir;

  static constexpr size_t kMaxRecent = 12;
};

// settingsPath is where the settings live (the folder may not exist yet).
std::string settingsPath();

Settings parseSettings(std::string_view text);
std::string formatSettings(const Settings& s);

// loadSettings reads path; a missing or unreadable file yields the defaults.
Settings loadSettings(const std::string& path);
// saveSettings writes path atomically (path.tmp, then rename); returns "" or an error.
std::string saveSettings(const std::string& path, const Settings& s);

// addRecent puts path first in s.recent, dropping duplicates and the oldest.
void addRecent(Settings& s, const std::string& path);

bool isCollapsed(const Settings& s, std::string_view group);
void setCollapsed(Settings& s, std::string_view group, bool collapsed);

}  // namespace gmps::viewer
