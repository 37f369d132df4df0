// trace_read.h — read a JSON Lines trace back for assertions.
#pragma once

#include <unistd.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace sysmontest {

inline std::vector<nlohmann::json> readTrace(const std::string& path) {
  std::ifstream in(path);
  std::vector<nlohmann::json> out;
  std::string line;
  while (std::getline(in, line)) out.push_back(nlohmann::json::parse(line));
  return out;
}

inline int countEv(const std::vector<nlohmann::json>& t, const char* ev) {
  int n = 0;
  for (const auto& e : t)
    if (e.contains("ev") && e["ev"] == ev) n++;
  return n;
}

inline std::string tempTrace(const char* name) {
  return std::string(::testing::TempDir()) + "gmps-" + name + "-" + std::to_string(::getpid()) + ".jsonl";
}

// EnvGuard sets an environment variable for one test.
struct EnvGuard {
  std::string name;
  EnvGuard(const char* n, const char* v) : name(n) { setenv(n, v, 1); }
  ~EnvGuard() { unsetenv(name.c_str()); }
};

}  // namespace sysmontest
