#include "core/walkthrough.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>

namespace gmps::viewer {
namespace {

namespace fs = std::filesystem;

std::string exePath() {
  std::error_code ec;
  fs::path p = fs::read_symlink("/proc/self/exe", ec);
  return ec ? std::string() : p.string();
}

// normalise "3" to "03": tutorial ids are two digits.
std::string normaliseKey(const std::string& key) {
  if (key.size() == 1 && std::isdigit(static_cast<unsigned char>(key[0]))) return "0" + key;
  return key;
}

}  // namespace

std::vector<std::string> tutorialCandidates(const std::string& envValue, const std::string& exe,
                                            const std::string& sourceDir) {
  if (!envValue.empty()) return {envValue};
  std::vector<std::string> out;
  if (!exe.empty()) {
    fs::path bin = fs::path(exe).parent_path();
    out.push_back((bin / ".." / "share" / "gmpscope" / "tutorials").lexically_normal().string());
    out.push_back((bin / ".." / ".." / "tutorials").lexically_normal().string());
  }
  if (!sourceDir.empty()) out.push_back((fs::path(sourceDir) / "tutorials").lexically_normal().string());
  out.push_back("tutorials");
  return out;
}

std::string findTutorialsDir(const std::vector<std::string>& candidates, std::string* tried) {
  std::string seen;
  for (const std::string& c : candidates) {
    std::error_code ec;
    if (fs::is_regular_file(fs::path(c) / "startup_walkthrough.json", ec)) return c;
    seen += (seen.empty() ? "" : ", ") + c;
  }
  if (tried) *tried = seen;
  return "";
}

std::string tutorialsDir(std::string* tried) {
  const char* env = std::getenv(kTutorialsEnv);
  if (env != nullptr && env[0] != '\0') {
    // Set by hand: trust it, so a wrong folder gets a message naming the missing file.
    std::error_code ec;
    if (fs::is_directory(env, ec)) return env;
    if (tried) *tried = std::string(env) + " (from " + kTutorialsEnv + ", not a folder)";
    return "";
  }
#ifdef GMPSCOPE_SOURCE_DIR
  const std::string source = GMPSCOPE_SOURCE_DIR;
#else
  const std::string source;
#endif
  return findTutorialsDir(tutorialCandidates(env ? env : "", exePath(), source), tried);
}

WalkIndex indexWalkthrough(const guide::Walkthrough& w, const model::TraceModel& m) {
  WalkIndex ix;
  for (const guide::WalkStep& s : w.steps) {
    guide::Resolved r = guide::resolve(s.jump, m);
    ix.events.push_back(r.ok() ? r.event : model::kNoEvent);
    ix.errors.push_back(r.error);
    if (s.id == "main_main" && r.ok()) ix.regionEnd = r.event;
    if (s.id == "exit" && r.ok()) ix.exitAt = r.event;
  }
  return ix;
}

std::vector<int> stepsAt(const WalkIndex& ix, EventIndex e) {
  std::vector<int> out;
  if (e < 0) return out;
  bool inRegion = (ix.regionEnd != model::kNoEvent && e <= ix.regionEnd) ||
                  (ix.exitAt != model::kNoEvent && e >= ix.exitAt);
  if (!inRegion) return out;
  // The last resolved event at or before e; every step that shares it.
  EventIndex best = model::kNoEvent;
  for (EventIndex s : ix.events)
    if (s != model::kNoEvent && s <= e) best = std::max(best, s);
  if (best == model::kNoEvent) return out;
  for (size_t i = 0; i < ix.events.size(); i++)
    if (ix.events[i] == best) out.push_back(int(i));
  return out;
}

guide::Loaded<guide::Tutorial> findTutorial(const std::string& dir, const std::string& key) {
  guide::Loaded<guide::Tutorial> out;
  const std::string want = normaliseKey(key);
  std::error_code ec;
  std::vector<fs::path> folders;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    std::string n = it->path().filename().string();
    if (it->is_directory() && n.size() > 3 && std::isdigit(static_cast<unsigned char>(n[0])) &&
        std::isdigit(static_cast<unsigned char>(n[1])) && n[2] == '-')
      folders.push_back(it->path());
  }
  if (ec) {
    out.error = dir + ": cannot list: " + ec.message();
    return out;
  }
  std::sort(folders.begin(), folders.end());
  std::string known;
  for (const fs::path& f : folders) {
    std::string n = f.filename().string();
    known += (known.empty() ? "" : ", ") + n;
    if (!want.empty() && n.rfind(want, 0) == 0) return guide::loadTutorial((f / "steps.json").string());
  }
  out.error = "no tutorial \"" + key + "\" in " + dir + (known.empty() ? "" : " (there are: " + known + ")");
  return out;
}

}  // namespace gmps::viewer
