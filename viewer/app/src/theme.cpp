#include "theme.h"

#include <imgui.h>

#include <filesystem>

namespace gmps::viewer {
namespace {

constexpr const char* kDejaVuDir = "/usr/share/fonts/truetype/dejavu/";

// Latin-1, general punctuation (… – —), arrows (→ ←), geometric shapes (▶ ▼ ●).
const ImWchar kRanges[] = {0x0020, 0x00FF, 0x2010, 0x2027, 0x2190, 0x21FF,
                           0x2200, 0x22FF, 0x25A0, 0x25FF, 0};

ImFont* addTTF(const char* file, float size, bool& ok) {
  std::string path = std::string(kDejaVuDir) + file;
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    ok = false;
    return nullptr;
  }
  ImFontConfig cfg;
  cfg.OversampleH = 2;
  cfg.OversampleV = 1;
  cfg.PixelSnapH = true;
  return ImGui::GetIO().Fonts->AddFontFromFileTTF(path.c_str(), size, &cfg, kRanges);
}

ImFont* addDefault(float size) {
  ImFontConfig cfg;
  cfg.SizePixels = size;
  return ImGui::GetIO().Fonts->AddFontDefault(&cfg);
}

ImVec4 v4(Rgba c) {
  return ImVec4(float(red(c)) / 255.f, float(green(c)) / 255.f, float(blue(c)) / 255.f,
                float(alpha(c)) / 255.f);
}

}  // namespace

Fonts loadFonts(float size) {
  ImGuiIO& io = ImGui::GetIO();
  io.Fonts->Clear();
  Fonts f;
  bool ok = true;
  f.regular = addTTF("DejaVuSans.ttf", size, ok);
  if (ok) f.small = addTTF("DejaVuSans.ttf", size * 0.82f, ok);
  if (ok) f.bold = addTTF("DejaVuSans-Bold.ttf", size, ok);
  if (ok) f.mono = addTTF("DejaVuSansMono.ttf", size * 0.94f, ok);
  f.dejavu = ok;
  if (!ok) {
    io.Fonts->Clear();
    f.regular = addDefault(std::max(13.f, size * 0.8f));
    f.small = addDefault(13.f);
    f.bold = f.regular;
    f.mono = f.regular;
  }
  io.FontDefault = f.regular;
  return f;
}

const Palette& palette(bool light) { return light ? lightPalette() : darkPalette(); }

void applyStyle(bool light) {
  ImGuiStyle& st = ImGui::GetStyle();
  st = ImGuiStyle();
  if (light)
    ImGui::StyleColorsLight(&st);
  else
    ImGui::StyleColorsDark(&st);
  st.WindowRounding = 0;
  st.ChildRounding = 0;
  st.FrameRounding = 3;
  st.GrabRounding = 3;
  st.PopupRounding = 3;
  st.ScrollbarRounding = 3;
  st.TabRounding = 3;
  st.WindowBorderSize = 1;
  st.FramePadding = ImVec2(7, 4);
  st.ItemSpacing = ImVec2(8, 5);
  st.CellPadding = ImVec2(6, 3);
  st.ScrollbarSize = 15;
  st.WindowPadding = ImVec2(8, 8);
  // Software rasterisers (llvmpipe under Xvfb) are fill-rate bound: the host window
  // and the panels paint no background of their own; the frame is cleared to
  // WindowBg instead (see App::renderFrame), so each pixel is blended fewer times.
  const Palette& p = palette(light);
  ImVec4* c = st.Colors;
  c[ImGuiCol_Text] = v4(p.text);
  c[ImGuiCol_TextDisabled] = v4(p.textDim);
  if (!light) {
    c[ImGuiCol_WindowBg] = v4(p.canvas);
    c[ImGuiCol_ChildBg] = v4(withAlpha(p.canvas, 0));
    c[ImGuiCol_PopupBg] = v4(rgba(38, 42, 50, 248));
    c[ImGuiCol_MenuBarBg] = v4(rgba(40, 44, 52));
    c[ImGuiCol_Border] = v4(rgba(70, 76, 88));
    c[ImGuiCol_FrameBg] = v4(rgba(48, 53, 63));
    c[ImGuiCol_FrameBgHovered] = v4(rgba(62, 70, 84));
    c[ImGuiCol_FrameBgActive] = v4(rgba(72, 82, 100));
    c[ImGuiCol_TitleBg] = v4(rgba(40, 44, 52));
    c[ImGuiCol_TitleBgActive] = v4(rgba(48, 56, 72));
    c[ImGuiCol_Header] = v4(rgba(56, 72, 100));
    c[ImGuiCol_HeaderHovered] = v4(rgba(70, 92, 130));
    c[ImGuiCol_HeaderActive] = v4(rgba(80, 108, 152));
    c[ImGuiCol_Button] = v4(rgba(56, 66, 84));
    c[ImGuiCol_ButtonHovered] = v4(rgba(72, 90, 120));
    c[ImGuiCol_ButtonActive] = v4(rgba(86, 110, 150));
    c[ImGuiCol_TableHeaderBg] = v4(rgba(44, 49, 58));
    c[ImGuiCol_TableRowBgAlt] = v4(rgba(255, 255, 255, 10));
    c[ImGuiCol_Separator] = v4(rgba(70, 76, 88));
  } else {
    c[ImGuiCol_WindowBg] = v4(p.canvas);
    c[ImGuiCol_ChildBg] = v4(withAlpha(p.canvas, 0));
    c[ImGuiCol_Border] = v4(rgba(180, 186, 198));
  }
}

}  // namespace gmps::viewer
