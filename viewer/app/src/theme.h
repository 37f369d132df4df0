// theme.h — fonts and ImGui style: DejaVu Sans at sizes that suit a 1080p screen
// (ImGui's own font when DejaVu is not installed) and a high-contrast dark or light
// style matching the timeline palette.
#pragma once

#include "core/colors.h"

struct ImFont;

namespace gmps::viewer {

struct Fonts {
  ImFont* regular = nullptr;
  ImFont* small = nullptr;  // labels inside spans, ruler
  ImFont* bold = nullptr;   // headings
  ImFont* mono = nullptr;   // event fields
  bool dejavu = false;
};

// loadFonts (re)builds the font atlas at size px; call before the renderer uploads it.
Fonts loadFonts(float size);
// applyStyle sets ImGui colours and metrics for the theme.
void applyStyle(bool light);
const Palette& palette(bool light);

}  // namespace gmps::viewer
