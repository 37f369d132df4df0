// trace_util.h — helpers shared by the runtime tests: a temporary trace path per test
// and a plain nlohmann::json reader of a JSON Lines trace (deliberately independent
// of tracer/reader, so the runtime's output is checked against the format itself).
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace gmps::testutil {

using nlohmann::json;

// tracePath returns a fresh path under the test temp dir, unique per process and tag.
inline std::string tracePath(const std::string& tag) {
  std::string p = ::testing::TempDir() + "gmps_rt_" + tag + "_" + std::to_string(::getpid()) + ".jsonl";
  std::remove(p.c_str());
  return p;
}

struct TraceFile {
  json header;
  std::vector<json> events;
  bool ok = false;        // the file was there and every line parsed
  std::string error;      // why not
};

// readTrace parses every line of path; the first must be the gmpscope-trace header.
inline TraceFile readTrace(const std::string& path) {
  TraceFile t;
  std::ifstream in(path);
  if (!in) {
    t.error = path + ": cannot open";
    return t;
  }
  std::string line;
  size_t lineno = 0;
  while (std::getline(in, line)) {
    lineno++;
    json j = json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded() || !j.is_object()) {
      t.error = path + ":" + std::to_string(lineno) + ": not a JSON object";
      return t;
    }
    if (lineno == 1) {
      t.header = std::move(j);
    } else {
      t.events.push_back(std::move(j));
    }
  }
  if (lineno == 0) {
    t.error = path + ": empty";
    return t;
  }
  if (t.header.value("format", "") != "gmpscope-trace") {
    t.error = path + ":1: not a gmpscope-trace header: " + t.header.dump();
    return t;
  }
  t.ok = true;
  return t;
}

// firstLine returns the first line of path, or "" if it cannot be read.
inline std::string firstLine(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  return line;
}

inline bool isEv(const json& e, const char* name) { return e.value("ev", "") == name; }

// gList reads a GList argument as a vector of goroutine ids.
inline std::vector<int64_t> gList(const json& e, const char* arg) {
  std::vector<int64_t> v;
  if (e.contains(arg) && e[arg].is_array())
    for (const auto& x : e[arg]) v.push_back(x.get<int64_t>());
  return v;
}

}  // namespace gmps::testutil
