// markup.h — the tutorials' small text markup (tutorials/README.md, "Text markup"):
// paragraphs split by an empty line, "- " bullet lines, `code` and **bold**. Parsed
// into blocks of styled words that the UI wraps and draws. Pure; unit-tested.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace gmps::viewer {

enum class TextStyle : unsigned char { Plain, Code, Bold };

// Word: a run of text drawn without a break; `space` says whether a space precedes it.
struct Word {
  std::string text;
  TextStyle style = TextStyle::Plain;
  bool space = false;
};

struct TextBlock {
  bool bullet = false;  // a "- " line
  bool gapBefore = false;  // an empty line came before it (a new paragraph)
  std::vector<Word> words;
};

// parseMarkup splits text into blocks (paragraphs and bullet items) of words. An
// unclosed ` or ** is literal text. A line that is neither a bullet nor empty joins
// the block before it (as a soft line break would).
std::vector<TextBlock> parseMarkup(std::string_view text);

// plainText: the text without markup, for tooltips and tests.
std::string plainText(const std::vector<TextBlock>& blocks);

}  // namespace gmps::viewer
