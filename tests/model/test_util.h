// test_util.h — helpers for the model tests: the data directory, and editing a
// hand-written trace line by line to make each kind of broken trace.
#pragma once

#include <gtest/gtest.h>

#include <fstream>
#include <memory>
#include <sstream>
#include <span>
#include <string>
#include <vector>

#include "gmpscope/model/trace_model.h"

namespace gmps::testing {

inline std::string dataPath(const std::string& name) { return std::string(GMPS_MODEL_DATA) + "/" + name; }

inline std::string readText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Lines is a trace as editable lines; line(n) is 1-based like the messages.
struct Lines {
  std::vector<std::string> v;
  static Lines of(const std::string& text) {
    Lines l;
    std::stringstream ss(text);
    for (std::string s; std::getline(ss, s);) l.v.push_back(s);
    return l;
  }
  static Lines data(const std::string& name) { return of(readText(dataPath(name))); }
  std::string& line(size_t n) { return v.at(n - 1); }
  Lines& set(size_t n, std::string s) {
    line(n) = std::move(s);
    return *this;
  }
  Lines& insertAfter(size_t n, std::string s) {
    v.insert(v.begin() + ptrdiff_t(n), std::move(s));
    return *this;
  }
  Lines& erase(size_t n) {
    v.erase(v.begin() + ptrdiff_t(n - 1));
    return *this;
  }
  // replace swaps the first occurrence of from in line n for to.
  Lines& replace(size_t n, const std::string& from, const std::string& to) {
    std::string& s = line(n);
    size_t at = s.find(from);
    EXPECT_NE(at, std::string::npos) << "line " << n << " has no " << from << ": " << s;
    if (at != std::string::npos) s.replace(at, from.size(), to);
    return *this;
  }
  std::string text() const {
    std::string out;
    for (const std::string& s : v) out += s + "\n";
    return out;
  }
};

inline std::unique_ptr<model::TraceModel> loadData(const std::string& name) {
  model::LoadResult r = model::loadTrace(dataPath(name));
  EXPECT_TRUE(r.ok()) << r.error;
  return std::move(r.model);
}

inline std::unique_ptr<model::TraceModel> loadText(const std::string& text,
                                                   const std::string& name = "t.jsonl") {
  model::LoadResult r = model::loadTraceText(text, name);
  EXPECT_TRUE(r.ok()) << r.error;
  return std::move(r.model);
}

// spanShape prints a lane compactly for assertions: "running(6-17:0)" = kind,
// begin-end event indices (end -1 = open) and `other`.
inline std::string spanShape(std::span<const model::Span> spans) {
  std::string out;
  for (const model::Span& s : spans) {
    if (!out.empty()) out += ' ';
    out += std::string(model::spanKindName(s.kind)) + "(" + std::to_string(s.begin) + "-" +
           std::to_string(s.end) + ":" + std::to_string(s.other) + ")";
  }
  return out;
}

}  // namespace gmps::testing
