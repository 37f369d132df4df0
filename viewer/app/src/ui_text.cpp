// ui_text.cpp — the tutorials' text markup drawn with ImGui: paragraphs, bullet items,
// `code` in the monospace font and an accent colour, **bold** in the bold font, all
// wrapped word by word at the given width (ImGui's own wrapping knows one font only).
#include <imgui.h>

#include <algorithm>
#include <cstdio>

#include "ui.h"

namespace gmps::viewer {

namespace {

struct Pen {
  ImDrawList* dl;
  float left, right, x, y, lineH;
};

}  // namespace

void Ui::drawMarkup(std::string_view text, float wrapWidth) {
  const std::vector<TextBlock> blocks = parseMarkup(text);
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImVec2 start = ImGui::GetCursorScreenPos();
  const float lineH = ImGui::GetTextLineHeightWithSpacing();
  const ImU32 textCol = ImGui::GetColorU32(ImGuiCol_Text);
  const ImU32 codeCol = settings_.lightTheme ? IM_COL32(150, 60, 0, 255) : IM_COL32(255, 196, 120, 255);
  const ImU32 codeBg = settings_.lightTheme ? IM_COL32(0, 0, 0, 18) : IM_COL32(255, 255, 255, 16);
  ImFont* regular = ImGui::GetFont();
  const float size = ImGui::GetFontSize();
  const float spaceW = regular->CalcTextSizeA(size, FLT_MAX, 0, " ").x;
  const float bulletIndent = size * 1.2f;
  Pen pen{dl, start.x, start.x + std::max(40.f, wrapWidth), start.x, start.y, lineH};
  bool first = true;
  for (const TextBlock& b : blocks) {
    if (!first) pen.y += lineH + (b.gapBefore ? lineH * 0.45f : 0);
    first = false;
    pen.left = start.x + (b.bullet ? bulletIndent : 0);
    pen.x = pen.left;
    if (b.bullet) dl->AddText(regular, size, ImVec2(start.x + size * 0.3f, pen.y), textCol, "•");
    auto fontOf = [&](const Word& w) {
      ImFont* f = w.style == TextStyle::Code ? fonts_.mono : w.style == TextStyle::Bold ? fonts_.bold : regular;
      return f ? f : regular;
    };
    auto widthOf = [&](const Word& w) { return fontOf(w)->CalcTextSizeA(fontOf(w)->FontSize, FLT_MAX, 0, w.text.c_str()).x; };
    for (size_t i = 0; i < b.words.size();) {
      // Words with no space between them ("(`chan`)," ) wrap together.
      size_t j = i + 1;
      float chunk = widthOf(b.words[i]);
      while (j < b.words.size() && !b.words[j].space) chunk += widthOf(b.words[j++]);
      float gap = b.words[i].space ? spaceW : 0;
      if (pen.x > pen.left && pen.x + gap + chunk > pen.right) {
        pen.y += lineH;
        pen.x = pen.left;
        gap = 0;
      }
      pen.x += gap;
      for (; i < j; i++) {
        const Word& w = b.words[i];
        ImFont* f = fontOf(w);
        float ww = widthOf(w), dy = (size - f->FontSize) * 0.5f;
        if (w.style == TextStyle::Code)
          dl->AddRectFilled(ImVec2(pen.x - 1, pen.y - 1), ImVec2(pen.x + ww + 1, pen.y + size + 1), codeBg, 3);
        dl->AddText(f, f->FontSize, ImVec2(pen.x, pen.y + dy), w.style == TextStyle::Code ? codeCol : textCol,
                    w.text.c_str());
        pen.x += ww;
      }
    }
  }
  float h = blocks.empty() ? 0 : pen.y + lineH - start.y;
  ImGui::Dummy(ImVec2(std::max(1.f, wrapWidth), h));
}

std::string jsonQuote(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out += buf;
    } else {
      out += c;
    }
  }
  return out + "\"";
}

void Ui::sectionTitle(const char* text) {
  ImGui::PushFont(fonts_.bold);
  ImGui::PushTextWrapPos(0);
  ImGui::TextUnformatted(text);
  ImGui::PopTextWrapPos();
  ImGui::PopFont();
}

}  // namespace gmps::viewer
