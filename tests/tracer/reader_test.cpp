// The JSON Lines reader: good traces, every malformed-input path (each message names
// the file, the line and what was expected), cut-short files, and the threaded parse
// agreeing with the single-threaded one.
#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <string>

#include "gmpscope/tracer/reader.h"

using namespace gmps::trace;

namespace {

const std::string kHeader =
    R"({"format":"gmpscope-trace","version":1,"program":"unit","gomaxprocs":2,"ncpu":4,"clock":"ns"})";

std::string trace(const std::string& body) { return kHeader + "\n" + body; }

ReadResult read(const std::string& text, int threads = 1) {
  ReadOptions o;
  o.threads = threads;
  return readTraceText(text, "t.jsonl", o);
}

// error returns the load's error (and fails the test if the load worked).
std::string error(const std::string& text) {
  ReadResult r = read(text);
  EXPECT_FALSE(r.ok()) << "loaded";
  return r.error;
}

const char* kGoStart = R"({"ev":"GoStart","ts":5,"m":0,"p":0,"g":1,"inherit":0})";

TEST(Reader, ReadsHeaderAndEvents) {
  ReadResult r = read(trace(std::string(kGoStart) + "\n" +
                            R"({"ev":"GoBlock","ts":9,"m":0,"p":0,"g":1,"reason":"chan send"})" + "\n"));
  ASSERT_TRUE(r.ok()) << r.error;
  const Trace& t = *r.trace;
  EXPECT_EQ(t.name, "t.jsonl");
  EXPECT_EQ(t.header.version, 1);
  EXPECT_EQ(t.header.program, "unit");
  EXPECT_EQ(t.header.gomaxprocs, 2);
  EXPECT_EQ(t.header.ncpu, 4);
  EXPECT_EQ(t.header.declaredEvents, -1);
  ASSERT_EQ(t.events.size(), 2u);
  EXPECT_EQ(t.events[0].ev, Ev::GoStart);
  EXPECT_EQ(t.events[0].ts, 5);
  EXPECT_EQ(t.events[0].g, 1);
  EXPECT_EQ(t.events[1].ev, Ev::GoBlock);
  EXPECT_EQ(t.arg(t.events[1], "reason"), int(BlockReason::ChanSend));
  EXPECT_TRUE(r.warnings.empty());
  EXPECT_FALSE(r.truncated);
}

TEST(Reader, EveryArgumentKind) {
  ReadResult r = read(trace(
      R"({"ev":"RunqSteal","ts":1,"m":1,"p":1,"g":-1,"victim":0,"gs":[3,4,5],"runnext":0})" "\n"
      R"({"ev":"Startup","ts":2,"m":0,"p":-1,"g":-1,"step":"main_init","value":7,"name":"pkg\"a\""})" "\n"
      R"({"ev":"SysmonPreempt","ts":3,"m":2,"p":-1,"g":-1,"gp":1,"pp":0,"ran":2120643320453,"async":1})" "\n"
      R"({"ev":"RunqGet","ts":4,"m":1,"p":1,"g":-1,"gp":3,"src":"global","batch":[]})" "\n"));
  ASSERT_TRUE(r.ok()) << r.error;
  const Trace& t = *r.trace;
  const Event& steal = t.events[0];
  EXPECT_EQ(t.arg(steal, "victim"), 0);
  auto gs = t.glist(steal, 1);
  EXPECT_EQ(std::vector<int32_t>(gs.begin(), gs.end()), (std::vector<int32_t>{3, 4, 5}));
  EXPECT_EQ(t.arg(t.events[1], "step"), int(StartupStep::MainInit));
  EXPECT_EQ(t.str(t.events[1], 2), "pkg\"a\"");
  EXPECT_EQ(t.arg(t.events[2], "ran"), 2120643320453);  // wider than 32 bits
  EXPECT_EQ(t.arg(t.events[2], "async"), 1);
  EXPECT_TRUE(t.glist(t.events[3], 2).empty());
  EXPECT_EQ(t.formatEvent(0), "RunqSteal g=-1 m=1 p=1 victim=0 gs=[3,4,5] runnext=0");
  EXPECT_EQ(t.formatEvent(1), R"(Startup g=-1 m=0 p=-1 step="main_init" value=7 name="pkg\"a\"")");
}

TEST(Reader, KeyOrderAndExtraFieldsDoNotMatter) {
  ReadResult r = read(trace(R"({"inherit":1,"g":7,"p":0,"m":2,"ts":10,"note":"x","ev":"GoStart"})" "\n"));
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.trace->events[0].m, 2);
  EXPECT_EQ(r.trace->arg(r.trace->events[0], 0), 1);
}

TEST(Reader, LineNumbersSurviveBlankLinesAndCRLF) {
  std::string body = std::string(kGoStart) + "\r\n\n   \n" + kGoStart + "\n\n" + kGoStart + "\n";
  ReadResult r = read(trace(body));
  ASSERT_TRUE(r.ok()) << r.error;
  ASSERT_EQ(r.trace->events.size(), 3u);
  EXPECT_EQ(r.trace->lineOf(0), 2);
  EXPECT_EQ(r.trace->lineOf(1), 5);
  EXPECT_EQ(r.trace->lineOf(2), 7);
  EXPECT_EQ(error(trace(body + "\n{}\n")), "t.jsonl:9: event has no \"ev\" field (the event's name)");
}

TEST(Reader, HeaderOnlyIsAnEmptyTrace) {
  ReadResult r = read(kHeader);
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_TRUE(r.trace->events.empty());
}

TEST(Reader, MalformedJson) {
  std::string e = error(trace(std::string(kGoStart) + "\n{\"ev\":\"GoStart\",,}\n"));
  EXPECT_EQ(e.rfind("t.jsonl:3: invalid JSON at column 17: syntax error", 0), 0u) << e;
}

TEST(Reader, LinesThatAreNotObjects) {
  EXPECT_EQ(error(trace("[1,2]\n")), "t.jsonl:2: expected a JSON object, found an array");
  EXPECT_EQ(error(trace("42\n")), "t.jsonl:2: expected a JSON object, found a number");
  EXPECT_EQ(error(trace("\"GoStart\"\n")), "t.jsonl:2: expected a JSON object, found a string");
  EXPECT_EQ(error(trace("null\n")), "t.jsonl:2: expected a JSON object, found null");
}

TEST(Reader, TwoObjectsOnOneLineOrTrailingGarbage) {
  std::string two = std::string(kGoStart) + "," + kGoStart + "\n";
  EXPECT_EQ(error(trace(two)).rfind("t.jsonl:2: invalid JSON", 0), 0u);
  EXPECT_EQ(error(trace(std::string(kGoStart) + " x\n")).rfind("t.jsonl:2: invalid JSON", 0), 0u);
  EXPECT_EQ(error(trace(std::string(kGoStart) + "\n" + kGoStart + kGoStart + "\n")).rfind("t.jsonl:3: invalid JSON", 0),
            0u);
}

TEST(Reader, EventNames) {
  EXPECT_EQ(error(trace(R"({"ev":"GoTeleport","ts":1,"m":0,"p":0,"g":1})" "\n")),
            "t.jsonl:2: unknown event \"GoTeleport\"");
  EXPECT_EQ(error(trace(R"({"ts":1,"m":0,"p":0,"g":1})" "\n")),
            "t.jsonl:2: event has no \"ev\" field (the event's name)");
  EXPECT_EQ(error(trace(R"({"ev":3,"ts":1,"m":0,"p":0,"g":1})" "\n")),
            "t.jsonl:2: \"ev\" should be a string, found an integer");
}

TEST(Reader, CommonFields) {
  EXPECT_EQ(error(trace(R"({"ev":"GoEnd","m":0,"p":0,"g":1})" "\n")),
            "t.jsonl:2: event \"GoEnd\" is missing field \"ts\"");
  EXPECT_EQ(error(trace(R"({"ev":"GoEnd","ts":1,"p":0,"g":1})" "\n")),
            "t.jsonl:2: event \"GoEnd\" is missing field \"m\"");
  EXPECT_EQ(error(trace(R"({"ev":"GoEnd","ts":-4,"m":0,"p":0,"g":1})" "\n")),
            "t.jsonl:2: event \"GoEnd\": \"ts\" should be a non-negative integer (ns), found -4");
  EXPECT_EQ(error(trace(R"({"ev":"GoEnd","ts":1.5,"m":0,"p":0,"g":1})" "\n")),
            "t.jsonl:2: event \"GoEnd\": \"ts\" should be a non-negative integer (ns), found a number "
            "with a fraction");
  EXPECT_EQ(error(trace(R"({"ev":"GoEnd","ts":1,"m":0,"p":"0","g":1})" "\n")),
            "t.jsonl:2: event \"GoEnd\": \"p\" should be an integer id, found a string");
  EXPECT_EQ(error(trace(R"({"ev":"GoEnd","ts":1,"m":0,"p":0,"g":5000000000})" "\n")),
            "t.jsonl:2: event \"GoEnd\": \"g\" is 5000000000, not an id (-1 or 0..2147483647)");
}

TEST(Reader, Arguments) {
  EXPECT_EQ(error(trace(R"({"ev":"RunqPut","ts":1,"m":0,"p":0,"g":-1,"where":"local","kicked":-1})" "\n")),
            "t.jsonl:2: event \"RunqPut\" is missing argument \"gp\"");
  EXPECT_EQ(error(trace(R"({"ev":"GoStart","ts":1,"m":0,"p":0,"g":1,"inherit":"yes"})" "\n")),
            "t.jsonl:2: event \"GoStart\": argument \"inherit\" should be an integer, found a string");
  EXPECT_EQ(error(trace(R"({"ev":"GoStop","ts":1,"m":0,"p":0,"g":1,"reason":"tired"})" "\n")),
            "t.jsonl:2: event \"GoStop\": argument \"reason\" is \"tired\", expected one of \"Gosched\", "
            "\"preempted\"");
  EXPECT_EQ(error(trace(R"({"ev":"GoStop","ts":1,"m":0,"p":0,"g":1,"reason":1})" "\n")),
            "t.jsonl:2: event \"GoStop\": argument \"reason\" should be a string, found an integer");
  EXPECT_EQ(error(trace(R"({"ev":"RunqPutSlow","ts":1,"m":0,"p":0,"g":-1,"gs":[1,"x"]})" "\n")),
            "t.jsonl:2: event \"RunqPutSlow\": argument \"gs\" should be an array of goroutine ids, "
            "found an array holding a string");
  EXPECT_EQ(error(trace(R"({"ev":"RunqPutSlow","ts":1,"m":0,"p":0,"g":-1,"gs":7})" "\n")),
            "t.jsonl:2: event \"RunqPutSlow\": argument \"gs\" should be an array of goroutine ids, "
            "found an integer");
  EXPECT_EQ(error(trace(R"({"ev":"GoCreate","ts":1,"m":0,"p":0,"g":-1,"newg":2,"label":null})" "\n")),
            "t.jsonl:2: event \"GoCreate\": argument \"label\" should be a string, found null");
}

TEST(Reader, EventsMustBeInTimeOrder) {
  std::string body = R"({"ev":"GoEnd","ts":50,"m":0,"p":0,"g":1})" "\n" R"({"ev":"GoEnd","ts":40,"m":0,"p":0,"g":2})" "\n";
  EXPECT_EQ(error(trace(body)),
            "t.jsonl:3: event \"GoEnd\" has ts 40, earlier than the event before it (50): events must "
            "be in time order");
}

TEST(Reader, BadHeaders) {
  EXPECT_EQ(readTraceText("", "e.jsonl").error, "e.jsonl: empty file, expected a gmpscope trace header on line 1");
  const std::string want =
      "t.jsonl:1: bad header: expected a header object with \"format\":\"gmpscope-trace\" (is this a "
      "gmpscope trace?)";
  EXPECT_EQ(error("hello\n"), want);
  EXPECT_EQ(error(std::string(kGoStart) + "\n"), want);
  EXPECT_EQ(error(R"({"format":"other","version":1})" "\n"), want);
  EXPECT_EQ(error(R"({"format":"gmpscope-trace"})" "\n"), "t.jsonl:1: bad header: expected an integer \"version\"");
  EXPECT_EQ(error(R"({"format":"gmpscope-trace","version":9})" "\n"),
            "t.jsonl:1: bad header: trace format version 9, this gmpscope reads version 1");
}

TEST(Reader, FileErrors) {
  ReadResult r = readTrace("/nonexistent/x.jsonl");
  EXPECT_EQ(r.error, "/nonexistent/x.jsonl: cannot read: No such file or directory");
  r = readTrace("/");
  EXPECT_EQ(r.error, "/: cannot read: is a directory");
}

TEST(Reader, ACutShortLastLineIsDroppedWithAWarning) {
  std::string text = trace(std::string(kGoStart) + "\n" + kGoStart + "\n" + R"({"ev":"GoEnd","ts":9,"m":0,"p")");
  ReadResult r = read(text);
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_TRUE(r.truncated);
  EXPECT_EQ(r.trace->events.size(), 2u);
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_EQ(r.warnings[0],
            "t.jsonl:4: the file is cut short: its last line is incomplete and was dropped; loaded "
            "the 2 events before it");
}

TEST(Reader, ACompleteLastLineWithoutNewlineIsKept) {
  ReadResult r = read(trace(std::string(kGoStart) + "\n" + kGoStart));
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_FALSE(r.truncated);
  EXPECT_EQ(r.trace->events.size(), 2u);
  EXPECT_TRUE(r.warnings.empty());
}

TEST(Reader, AWrongLastLineWithoutNewlineIsStillAnError) {
  // Well-formed JSON cannot be a cut line: it is a real mistake.
  EXPECT_EQ(error(trace(std::string(kGoStart) + "\n" + R"({"ev":"Nope","ts":1,"m":0,"p":0,"g":1})")),
            "t.jsonl:3: unknown event \"Nope\"");
}

TEST(Reader, HeaderEventCountMismatchWarns) {
  std::string text = R"({"format":"gmpscope-trace","version":1,"events":3})" "\n" + std::string(kGoStart) + "\n";
  ReadResult r = read(text);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.trace->header.declaredEvents, 3);
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_EQ(r.warnings[0], "t.jsonl: the header says 3 events but the file holds 1");
}

// bigTrace makes n varied lines, blank lines here and there.
std::string bigTrace(int n) {
  std::string body;
  for (int i = 0; i < n; i++) {
    std::string ts = std::to_string(1000 + i);
    switch (i % 4) {
      case 0: body += R"({"ev":"GoStart","ts":)" + ts + R"(,"m":1,"p":0,"g":)" + std::to_string(i) + R"(,"inherit":0})"; break;
      case 1: body += R"({"ev":"RunqSteal","ts":)" + ts + R"(,"m":1,"p":1,"g":-1,"victim":0,"gs":[)" + std::to_string(i) + "," + std::to_string(i + 1) + R"(],"runnext":0})"; break;
      case 2: body += R"({"ev":"GoCreate","ts":)" + ts + R"(,"m":0,"p":0,"g":1,"newg":)" + std::to_string(i) + R"(,"label":"fn)" + std::to_string(i % 7) + R"("})"; break;
      case 3: body += R"({"ev":"SysmonTick","ts":)" + ts + R"(,"m":2,"p":-1,"g":-1,"sleep":)" + std::to_string(int64_t(i) << 20) + "}"; break;
    }
    body += i % 9973 == 0 ? "\n\n" : "\n";
  }
  return trace(body);
}

TEST(Reader, ThreadedParseEqualsSingleThreaded) {
  std::string text = bigTrace(120000);
  ReadResult one = read(text, 1), two = read(text, 2), four = read(text, 4);
  ASSERT_TRUE(one.ok() && two.ok() && four.ok()) << one.error << two.error << four.error;
  ASSERT_EQ(one.trace->events.size(), 120000u);
  for (const ReadResult* r : {&two, &four}) {
    ASSERT_EQ(r->trace->events.size(), one.trace->events.size());
    EXPECT_EQ(r->trace->strings.size(), 7u);  // interned once across threads
    for (EventIndex i = 0; i < EventIndex(one.trace->events.size()); i += 997) {
      EXPECT_EQ(r->trace->formatEvent(i), one.trace->formatEvent(i)) << i;
      EXPECT_EQ(r->trace->lineOf(i), one.trace->lineOf(i)) << i;
    }
  }
  EXPECT_EQ(one.trace->lineOf(119999), 120000 + 1 + 13);  // header + 13 blank lines
}

TEST(Reader, ErrorLinesAreRightInEveryThreadsShare) {
  std::string text = bigTrace(120000);
  // Break the line of event 100000 (far into the second thread's half).
  size_t at = 0;
  for (int line = 1; line < 100000 + 2 + 10; line++) at = text.find('\n', at) + 1;
  ReadResult good = read(text, 1);
  ASSERT_TRUE(good.ok());
  int64_t line = 100000 + 2 + 10;  // what lineOf says of the event there (+10 blank lines)
  EventIndex idx = 0;
  while (good.trace->lineOf(idx) < line) idx++;
  ASSERT_EQ(good.trace->lineOf(idx), line);
  text.insert(at, "{oops}\n");
  for (int threads : {1, 2, 4}) {
    ReadResult r = read(text, threads);
    EXPECT_EQ(r.error.rfind("t.jsonl:" + std::to_string(line) + ": invalid JSON", 0), 0u)
        << threads << " threads: " << r.error;
  }
}

TEST(Reader, ProgressAndCancel) {
  std::string text = bigTrace(60000);
  ReadProgress prog;
  ReadOptions o;
  o.progress = &prog;
  o.progressScale = 0.5f;
  ReadResult r = readTraceText(text, "t.jsonl", o);
  ASSERT_TRUE(r.ok());
  EXPECT_FLOAT_EQ(prog.fraction.load(), 0.5f);
  prog.cancel = true;
  r = readTraceText(text, "t.jsonl", o);
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.error, "t.jsonl: cancelled");
}

TEST(Reader, ReadsFromAFile) {
  std::string path = ::testing::TempDir() + "reader" + std::to_string(::getpid()) + ".jsonl";
  {
    std::ofstream f(path);
    f << trace(std::string(kGoStart) + "\n");
  }
  ReadResult r = readTrace(path);
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.trace->name, path);
  EXPECT_EQ(r.trace->events.size(), 1u);
  ::unlink(path.c_str());
}

}  // namespace
