// `gmpscope check` and `gmpscope stats` as the command line runs them: exit codes
// and the lines printed (cli/cmd_check.cpp, cli/cmd_stats.cpp).
#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "commands.h"
#include "test_util.h"

namespace {

using gmps::testing::dataPath;

std::string writeTemp(const std::string& name, const std::string& text) {
  std::string path = ::testing::TempDir() + name + std::to_string(::getpid()) + ".jsonl";
  std::ofstream(path) << text;
  return path;
}

TEST(CliCheck, CleanTracePrintsOneSummaryLine) {
  ::testing::internal::CaptureStdout();
  int rc = gmps::cli::cmdCheck(dataPath("queues.jsonl"));
  std::string out = ::testing::internal::GetCapturedStdout();
  EXPECT_EQ(rc, 0);
  EXPECT_EQ(out, dataPath("queues.jsonl") +
                     ": ok: 58 events over 410 ns, 5 goroutines, 2 Ps, 3 Ms follow the G/M/P rules\n");
}

TEST(CliCheck, FirstViolationOnStderrAndExit1) {
  auto l = gmps::testing::Lines::data("basic.jsonl");
  l.insertAfter(19, R"({"ev":"GoStart","ts":205,"m":0,"p":0,"g":1,"inherit":0})");
  l.replace(1, R"(,"events":30)", "");  // else it also warns that the count is off
  std::string path = writeTemp("viol", l.text());
  ::testing::internal::CaptureStderr();
  int rc = gmps::cli::cmdCheck(path);
  std::string err = ::testing::internal::GetCapturedStderr();
  EXPECT_EQ(rc, 1);
  EXPECT_EQ(err, path + ":20: GoStart of G1: G1 is waiting (blocked on chan receive since line 19), "
                        "not runnable\n");
  ::unlink(path.c_str());
}

TEST(CliCheck, UnreadableAndMalformedFiles) {
  ::testing::internal::CaptureStderr();
  EXPECT_EQ(gmps::cli::cmdCheck("/nonexistent.jsonl"), 1);
  EXPECT_EQ(::testing::internal::GetCapturedStderr(),
            "/nonexistent.jsonl: cannot read: No such file or directory\n");
  std::string path = writeTemp("bad", "{\"format\":\"gmpscope-trace\",\"version\":1}\n[]\n");
  ::testing::internal::CaptureStderr();
  EXPECT_EQ(gmps::cli::cmdCheck(path), 1);
  EXPECT_EQ(::testing::internal::GetCapturedStderr(),
            path + ":2: expected a JSON object, found an array\n");
  ::unlink(path.c_str());
}

TEST(CliCheck, CutShortFileWarnsAndStillChecks) {
  std::string text = gmps::testing::readText(dataPath("basic.jsonl"));
  text.resize(text.size() - 20);
  std::string path = writeTemp("cut", text);
  ::testing::internal::CaptureStdout();
  ::testing::internal::CaptureStderr();
  int rc = gmps::cli::cmdCheck(path);
  std::string err = ::testing::internal::GetCapturedStderr();
  std::string out = ::testing::internal::GetCapturedStdout();
  EXPECT_EQ(rc, 0);
  EXPECT_EQ(err.rfind("warning: " + path + ":31: the file is cut short", 0), 0u) << err;
  EXPECT_NE(out.find(": ok: 29 events"), std::string::npos) << out;
  ::unlink(path.c_str());
}

TEST(CliStats, TextTables) {
  ::testing::internal::CaptureStdout();
  int rc = gmps::cli::cmdStats(dataPath("basic.jsonl"), false);
  std::string out = ::testing::internal::GetCapturedStdout();
  EXPECT_EQ(rc, 0);
  EXPECT_NE(out.find("30 events over 600 ns, 2 goroutines, 2 Ps, 2 Ms"), std::string::npos) << out;
  EXPECT_NE(out.find("steals 1 (1 Gs moved)"), std::string::npos) << out;
  EXPECT_NE(out.find("P0          150 ns       190 ns  25.0%"), std::string::npos) << out;
  EXPECT_NE(out.find("G1       runtime.main"), std::string::npos) << out;
  EXPECT_NE(out.find("GoStart 4"), std::string::npos) << out;
}

TEST(CliStats, JsonIsTheWholeOutput) {
  ::testing::internal::CaptureStdout();
  int rc = gmps::cli::cmdStats(dataPath("queues.jsonl"), true);
  std::string out = ::testing::internal::GetCapturedStdout();
  EXPECT_EQ(rc, 0);
  auto j = nlohmann::json::parse(out);
  EXPECT_EQ(j["events"], 58);
  EXPECT_EQ(j["preemptions"], 1);
  EXPECT_EQ(j["goroutines_detail"].size(), 5u);
}

TEST(CliStats, BrokenTraceWarnsButReports) {
  auto l = gmps::testing::Lines::data("basic.jsonl").erase(7);
  std::string path = writeTemp("statsbroken", l.text());
  ::testing::internal::CaptureStdout();
  ::testing::internal::CaptureStderr();
  int rc = gmps::cli::cmdStats(path, false);
  std::string err = ::testing::internal::GetCapturedStderr();
  ::testing::internal::GetCapturedStdout();
  EXPECT_EQ(rc, 0);
  EXPECT_NE(err.find(path + ":7: GoStart of G1"), std::string::npos) << err;
  ::unlink(path.c_str());
}

}  // namespace
