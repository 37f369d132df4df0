#include "core/markup.h"

namespace gmps::viewer {
namespace {

// Inline scans one line into words, appending to b.
class Inline {
 public:
  explicit Inline(TextBlock& b) : b_(b) { space_ = !b.words.empty(); }

  void line(std::string_view s) {
    for (size_t i = 0; i < s.size();) {
      char c = s[i];
      if (c == ' ' || c == '\t') {
        flush();
        space_ = true;
        i++;
      } else if (c == '`' && style_ != TextStyle::Bold && toggles(s, i, "`")) {
        flush();
        style_ = style_ == TextStyle::Code ? TextStyle::Plain : TextStyle::Code;
        i++;
      } else if (c == '*' && s.substr(i, 2) == "**" && style_ != TextStyle::Code && toggles(s, i, "**")) {
        flush();
        style_ = style_ == TextStyle::Bold ? TextStyle::Plain : TextStyle::Bold;
        i += 2;
      } else {
        word_ += c;
        i++;
      }
    }
    flush();
  }

 private:
  // toggles: a marker at i closes the open style, or opens one that is closed later.
  bool toggles(std::string_view s, size_t i, std::string_view marker) const {
    bool open = (marker == "`" && style_ == TextStyle::Code) || (marker == "**" && style_ == TextStyle::Bold);
    return open || s.find(marker, i + marker.size()) != std::string_view::npos;
  }
  void flush() {
    if (word_.empty()) return;
    b_.words.push_back({std::move(word_), style_, space_});
    word_.clear();
    space_ = false;
  }

  TextBlock& b_;
  TextStyle style_ = TextStyle::Plain;
  std::string word_;
  bool space_ = false;
};

}  // namespace

std::vector<TextBlock> parseMarkup(std::string_view text) {
  std::vector<TextBlock> out;
  bool gap = false, joinable = false;
  for (size_t pos = 0; pos <= text.size();) {
    size_t nl = text.find('\n', pos);
    std::string_view line = text.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
    pos = nl == std::string_view::npos ? text.size() + 1 : nl + 1;
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.remove_suffix(1);
    size_t lead = line.find_first_not_of(' ');
    if (lead == std::string_view::npos) {
      gap = !out.empty();
      joinable = false;
      continue;
    }
    line.remove_prefix(lead);
    bool bullet = line.size() >= 2 && line[0] == '-' && line[1] == ' ';
    if (bullet || !joinable) {
      out.push_back(TextBlock{bullet, gap, {}});
      gap = false;
      if (bullet) line.remove_prefix(2);
    }
    Inline(out.back()).line(line);
    joinable = true;
  }
  return out;
}

std::string plainText(const std::vector<TextBlock>& blocks) {
  std::string out;
  for (const TextBlock& b : blocks) {
    if (!out.empty()) out += b.gapBefore ? "\n\n" : "\n";
    if (b.bullet) out += "- ";
    for (const Word& w : b.words) {
      if (w.space) out += ' ';
      out += w.text;
    }
  }
  return out;
}

}  // namespace gmps::viewer
