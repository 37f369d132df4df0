// Loading: in the background with progress and cancel, and the error values.
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include "test_util.h"
#include "trace_gen.h"

using namespace gmps::model;

namespace {

std::string tempTrace(const char* name, int64_t events) {
  std::string path = ::testing::TempDir() + name + std::to_string(::getpid()) + ".jsonl";
  gmps::testing::GenOptions o;
  o.events = events;
  EXPECT_EQ(gmps::testing::writeSyntheticTrace(path, o), "");
  return path;
}

bool waitReady(const AsyncLoader& l) {
  for (int i = 0; i < 3000 && !l.ready(); i++) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  return l.ready();
}

TEST(Loader, AsyncLoadReportsProgressAndHandsOverTheModel) {
  std::string path = tempTrace("async", 50000);
  AsyncLoader l;
  EXPECT_FALSE(l.ready());
  l.start(path);
  ASSERT_TRUE(waitReady(l));
  EXPECT_FLOAT_EQ(l.fraction(), 1.f);
  LoadResult r = l.take();
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_GE(r.model->events().size(), 50000u);
  EXPECT_FALSE(r.model->firstViolation().has_value());
  EXPECT_FALSE(l.ready());
  ::unlink(path.c_str());
}

TEST(Loader, CancelStopsTheLoad) {
  std::string path = tempTrace("cancel", 100000);
  LoadProgress p;
  p.cancel();
  LoadResult r = loadTrace(path, &p);
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.error, path + ": cancelled");
  ::unlink(path.c_str());
}

TEST(Loader, CancelInTheBackground) {
  std::string path = tempTrace("cancelbg", 200000);
  AsyncLoader l;
  l.start(path);
  l.cancel();
  ASSERT_TRUE(waitReady(l));
  LoadResult r = l.take();
  // The loader polls the flag every 16K lines, so it all but always stops; a thread
  // descheduled for the whole load could still finish first, which is fine too.
  if (!r.ok()) {
    EXPECT_EQ(r.error, path + ": cancelled");
  } else {
    EXPECT_GE(r.model->events().size(), 200000u);
  }
  ::unlink(path.c_str());
}

TEST(Loader, RestartingCancelsTheLoadInFlight) {
  std::string big = tempTrace("big", 200000);
  AsyncLoader l;
  l.start(big);
  l.start(gmps::testing::dataPath("basic.jsonl"));
  ASSERT_TRUE(waitReady(l));
  LoadResult r = l.take();
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.model->events().size(), 30u);
  ::unlink(big.c_str());
}

TEST(Loader, DestroyingALoaderMidLoadIsSafe) {
  std::string path = tempTrace("dtor", 100000);
  {
    AsyncLoader l;
    l.start(path);
  }
  ::unlink(path.c_str());
}

TEST(Loader, ErrorsNameTheFile) {
  LoadResult r = loadTrace("/nonexistent/trace.jsonl");
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.error, "/nonexistent/trace.jsonl: cannot read: No such file or directory");
  r = loadTraceText("{\"format\":\"gmpscope-trace\",\"version\":1}\n{\"ev\":\"Nope\"}\n", "x.jsonl");
  EXPECT_EQ(r.error, "x.jsonl:2: unknown event \"Nope\"");
}

TEST(Loader, ABrokenTraceStillBuildsAndSaysWhere) {
  auto l = gmps::testing::Lines::data("basic.jsonl").erase(7);
  LoadResult r = loadTraceText(l.text(), "t.jsonl");
  ASSERT_TRUE(r.ok()) << r.error;
  ASSERT_TRUE(r.model->firstViolation().has_value());
  EXPECT_EQ(r.model->firstViolation()->line, 7);
  EXPECT_EQ(r.model->goroutines().size(), 2u);
}

TEST(Loader, ACutShortFileLoadsWithAWarning) {
  std::string text = gmps::testing::readText(gmps::testing::dataPath("basic.jsonl"));
  text.resize(text.size() - 20);  // into the last line, which loses its newline
  LoadResult r = loadTraceText(text, "cut.jsonl");
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.model->events().size(), 29u);
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_EQ(r.warnings[0].rfind("cut.jsonl:31: the file is cut short", 0), 0u) << r.warnings[0];
}

TEST(Loader, MemoryIsAccounted) {
  auto m = gmps::testing::loadData("queues.jsonl");
  ASSERT_TRUE(m);
  EXPECT_GT(m->memoryBytes(), m->events().size() * sizeof(Event));
}

}  // namespace
