// trace_gen.cpp — the synthetic scheduler behind trace_gen.h.
//
// Simplified on purpose: each step picks a P; its M either acts for the running G
// (create, block, unblock another, yield, get preempted, syscall, exit) or looks for
// work in findRunnable's order (runnext, local, global batch, steal, netpoll) and
// parks when there is none. The event order per action is the runtime's.
#include "trace_gen.h"

#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <deque>
#include <random>
#include <vector>

#include "gmpscope/tracer/events.h"

namespace gmps::testing {
namespace {

using trace::Ev;

class Out {
 public:
  explicit Out(uint64_t seed) : rng_(seed) {}
  std::string text;
  int64_t n = 0;

  void begin(Ev e, int m, int p, int g) {
    e_ = e;
    ts_ += 10 + int64_t(rng_() % 190);
    char buf[160];
    int k = std::snprintf(buf, sizeof buf, "{\"ev\":\"%s\",\"ts\":%" PRId64 ",\"m\":%d,\"p\":%d,\"g\":%d",
                          trace::eventName(e), ts_, m, p, g);
    text.append(buf, size_t(k));
    n++;
  }
  void num(int i, int64_t v) {
    key(i);
    text += std::to_string(v);
  }
  void enm(int i, int v) {
    key(i);
    text += '"';
    text += trace::enumTable(trace::eventDef(e_).args[i].enumKind).names[v];
    text += '"';
  }
  void str(int i, const char* s) {
    key(i);
    text += '"';
    text += s;
    text += '"';
  }
  void list(int i, const std::vector<int>& gs) {
    key(i);
    text += '[';
    for (size_t k = 0; k < gs.size(); k++) {
      if (k) text += ',';
      text += std::to_string(gs[k]);
    }
    text += ']';
  }
  void end() { text += "}\n"; }

 private:
  void key(int i) {
    text += ",\"";
    text += trace::eventDef(e_).args[i].name;
    text += "\":";
  }
  Ev e_ = Ev::GoStart;
  int64_t ts_ = 0;
  std::mt19937_64 rng_;
};

class Sim {
 public:
  explicit Sim(const GenOptions& o) : o_(o), out_(o.seed), rng_(o.seed * 7919 + 1) {
    ps_.resize(size_t(o.procs));
    ms_.resize(size_t(o.procs) + 1);
    sysmon_ = o.procs;
  }

  std::string run() {
    startup();
    while (out_.n < o_.events) {
      step(int(rng_() % uint64_t(o_.procs)));
      if (++steps_ % 64 == 0) sysmonTick();
    }
    return std::move(out_.text);
  }

 private:
  struct P {
    int m = -1, curg = -1, runnext = -1;
    std::deque<int> runq;
    bool syscall = false;
  };
  struct M {
    int p = -1;
    bool parked = false;
  };

  uint64_t pick(uint64_t n) { return rng_() % n; }

  void startup() {
    out_.begin(Ev::Startup, 0, -1, -1);
    out_.enm(0, int(trace::StartupStep::Rt0Go));
    out_.num(1, 0);
    out_.str(2, "");
    out_.end();
    out_.begin(Ev::ProcsChange, 0, -1, -1);
    out_.num(0, o_.procs);
    out_.end();
    for (int m = 0; m < o_.procs; m++) {
      if (m > 0) {
        out_.begin(Ev::MStart, m, -1, -1);
        out_.num(0, 0);
        out_.end();
      }
      out_.begin(Ev::ProcStart, m, m, -1);
      out_.end();
      ps_[size_t(m)].m = m;
      ms_[size_t(m)].p = m;
    }
    out_.begin(Ev::MStart, sysmon_, -1, -1);
    out_.num(0, 0);
    out_.end();
    create(0, -1);
  }

  void sysmonTick() {
    out_.begin(Ev::SysmonTick, sysmon_, -1, -1);
    out_.num(0, 20000);
    out_.end();
  }

  // create: GoCreate by g on p (g = -1: from g0), then runqput(next=true).
  void create(int p, int g) {
    int m = ps_[size_t(p)].m;
    int newg = nextG_++;
    live_++;
    out_.begin(Ev::GoCreate, m, p, g);
    out_.num(0, newg);
    out_.str(1, newg % 3 == 0 ? "main.worker" : "main.producer");
    out_.end();
    runqput(p, newg, g);
  }

  // runqput(next=true): newg to runnext; the G kicked out goes to the local tail.
  void runqput(int p, int gp, int g) {
    P& pp = ps_[size_t(p)];
    int old = pp.runnext;
    out_.begin(Ev::RunqPut, pp.m, p, g);
    out_.num(0, gp);
    out_.enm(1, int(trace::RunqWhere::Runnext));
    out_.num(2, old);
    out_.end();
    pp.runnext = gp;
    if (old >= 0) localPut(p, old, g);
    wakeIdle(p, g);
  }

  void localPut(int p, int gp, int g) {
    P& pp = ps_[size_t(p)];
    if (int(pp.runq.size()) < o_.localCap) {
      out_.begin(Ev::RunqPut, pp.m, p, g);
      out_.num(0, gp);
      out_.enm(1, int(trace::RunqWhere::Local));
      out_.num(2, -1);
      out_.end();
      pp.runq.push_back(gp);
      return;
    }
    std::vector<int> batch(pp.runq.begin(), pp.runq.begin() + ptrdiff_t(pp.runq.size() / 2));
    pp.runq.erase(pp.runq.begin(), pp.runq.begin() + ptrdiff_t(batch.size()));
    batch.push_back(gp);
    out_.begin(Ev::RunqPutSlow, pp.m, p, g);
    out_.list(0, batch);
    out_.end();
    global_.insert(global_.end(), batch.begin(), batch.end());
  }

  void globalPut(int p, int gp) {
    out_.begin(Ev::RunqPut, ps_[size_t(p)].m, p, -1);
    out_.num(0, gp);
    out_.enm(1, int(trace::RunqWhere::Global));
    out_.num(2, -1);
    out_.end();
    global_.push_back(gp);
  }

  // wakeIdle: wakep/startm when there is an idle P and a parked M.
  void wakeIdle(int p, int g) {
    if (pick(3) != 0) return;
    int idleP = -1, parkedM = -1;
    for (size_t i = 0; i < ps_.size(); i++)
      if (ps_[i].m < 0) idleP = int(i);
    for (size_t i = 0; i < ms_.size(); i++)
      if (ms_[i].parked) parkedM = int(i);
    if (idleP < 0 || parkedM < 0) return;
    int m = ps_[size_t(p)].m;
    out_.begin(Ev::Wakep, m, p, g);
    out_.end();
    out_.begin(Ev::MUnpark, m, p, g);
    out_.num(0, parkedM);
    out_.num(1, idleP);
    out_.end();
    out_.begin(Ev::ProcStart, parkedM, idleP, -1);
    out_.end();
    ms_[size_t(parkedM)] = {idleP, false};
    ps_[size_t(idleP)].m = parkedM;
  }

  void step(int p) {
    P& pp = ps_[size_t(p)];
    if (pp.m < 0) return;  // idle: its M is parked until someone wakes one
    if (pp.curg >= 0) {
      act(p);
      return;
    }
    findRunnable(p);
  }

  // act: the running G does something.
  void act(int p) {
    P& pp = ps_[size_t(p)];
    int m = pp.m, g = pp.curg;
    if (pp.syscall) {
      out_.begin(Ev::GoSyscallEnd, m, p, g);
      out_.end();
      pp.syscall = false;
      return;
    }
    uint64_t r = pick(100);
    if (r < 22 && live_ < o_.targetLive) return create(p, g);
    if (r < 36) {
      out_.begin(Ev::GoBlock, m, p, g);
      out_.enm(0, int(pick(uint64_t(trace::BlockReason::Count))));
      out_.end();
      waiting_.push_back(g);
      pp.curg = -1;
      return;
    }
    if (r < 52 && !waiting_.empty()) return unblock(p, m, g);
    if (r < 60 || (r < 64 && steps_ % 2 == 0)) return stop(p, r >= 60);
    if (r < 70) {
      out_.begin(Ev::GoSyscallBegin, m, p, g);
      out_.num(0, 0);
      out_.end();
      pp.syscall = true;
      return;
    }
    if (r < 82 && live_ > o_.targetLive / 4) {
      out_.begin(Ev::GoEnd, m, p, g);
      out_.end();
      live_--;
      pp.curg = -1;
      return;
    }
    if (live_ < o_.targetLive) return create(p, g);
    stop(p, false);
  }

  void unblock(int p, int m, int g) {
    size_t k = size_t(pick(waiting_.size()));
    int w = waiting_[k];
    waiting_[k] = waiting_.back();
    waiting_.pop_back();
    out_.begin(Ev::GoUnblock, m, p, g);
    out_.num(0, w);
    out_.end();
    runqput(p, w, g);
  }

  // stop: Gosched or a sysmon preemption; either way to the global queue.
  void stop(int p, bool preempt) {
    P& pp = ps_[size_t(p)];
    int g = pp.curg;
    if (preempt) {
      out_.begin(Ev::SysmonPreempt, sysmon_, -1, -1);
      out_.num(0, g);
      out_.num(1, p);
      out_.num(2, 10000000);
      out_.num(3, 1);
      out_.end();
    }
    out_.begin(Ev::GoStop, pp.m, p, g);
    out_.enm(0, int(preempt ? trace::StopReason::Preempted : trace::StopReason::Gosched));
    out_.end();
    pp.curg = -1;
    globalPut(p, g);
  }

  void get(int p, int gp, trace::RunqSrc src, const std::vector<int>& batch = {}) {
    out_.begin(Ev::RunqGet, ps_[size_t(p)].m, p, -1);
    out_.num(0, gp);
    out_.enm(1, int(src));
    out_.list(2, batch);
    out_.end();
  }

  void execute(int p, int gp, bool inherit) {
    P& pp = ps_[size_t(p)];
    out_.begin(Ev::GoStart, pp.m, p, gp);
    out_.num(0, inherit);
    out_.end();
    pp.curg = gp;
  }

  // findRunnable in Go's order; parks the M when there is nothing.
  void findRunnable(int p) {
    P& pp = ps_[size_t(p)];
    if (pp.runnext >= 0) {
      int g = pp.runnext;
      pp.runnext = -1;
      get(p, g, trace::RunqSrc::Runnext);
      return execute(p, g, true);
    }
    if (!pp.runq.empty()) {
      int g = pp.runq.front();
      pp.runq.pop_front();
      get(p, g, trace::RunqSrc::Local);
      return execute(p, g, false);
    }
    if (!global_.empty()) {
      size_t n = std::min<size_t>(global_.size() / size_t(o_.procs) + 1, 16);
      int g = global_.front();
      global_.pop_front();
      std::vector<int> batch;
      for (size_t k = 1; k < n && !global_.empty(); k++) {
        batch.push_back(global_.front());
        global_.pop_front();
      }
      get(p, g, trace::RunqSrc::Global, batch);
      pp.runq.insert(pp.runq.end(), batch.begin(), batch.end());
      return execute(p, g, false);
    }
    if (steal(p)) return;
    noWork(p);
  }

  bool steal(int p) {
    int n = o_.procs, start = int(pick(uint64_t(n)));
    for (int pass = 0; pass < 2; pass++)
      for (int k = 0; k < n; k++) {
        int v = (start + k) % n;
        P& vp = ps_[size_t(v)];
        if (v == p) continue;
        bool runnext = pass == 1;
        if (!runnext && vp.runq.empty()) continue;
        if (runnext && vp.runnext < 0) continue;
        std::vector<int> gs;
        if (runnext) {
          gs.push_back(vp.runnext);
          vp.runnext = -1;
        } else {
          size_t take = vp.runq.size() - vp.runq.size() / 2;
          gs.assign(vp.runq.begin(), vp.runq.begin() + ptrdiff_t(take));
          vp.runq.erase(vp.runq.begin(), vp.runq.begin() + ptrdiff_t(take));
        }
        int m = ps_[size_t(p)].m;
        out_.begin(Ev::MSpinStart, m, p, -1);
        out_.end();
        out_.begin(Ev::RunqSteal, m, p, -1);
        out_.num(0, v);
        out_.list(1, gs);
        out_.num(2, runnext);
        out_.end();
        int g = gs.back();
        gs.pop_back();
        ps_[size_t(p)].runq.insert(ps_[size_t(p)].runq.end(), gs.begin(), gs.end());
        get(p, g, trace::RunqSrc::Steal);
        out_.begin(Ev::MSpinStop, m, p, -1);
        out_.end();
        execute(p, g, false);
        return true;
      }
    return false;
  }

  // noWork: park, unless this is the last P with an M; then the poller readies a
  // waiting G (or, with none left, the runtime starts a new one).
  void noWork(int p) {
    P& pp = ps_[size_t(p)];
    int m = pp.m, active = 0;
    for (const P& q : ps_) active += q.m >= 0;
    if (active > 1) {
      out_.begin(Ev::ProcStop, m, p, -1);
      out_.end();
      out_.begin(Ev::MPark, m, -1, -1);
      out_.end();
      ms_[size_t(m)] = {-1, true};
      pp.m = -1;
      return;
    }
    if (waiting_.empty()) return create(p, -1);
    int w = waiting_.back();
    waiting_.pop_back();
    out_.begin(Ev::GoUnblock, m, p, -1);
    out_.num(0, w);
    out_.end();
    get(p, w, trace::RunqSrc::Netpoll);
    execute(p, w, false);
  }

  GenOptions o_;
  Out out_;
  std::mt19937_64 rng_;
  std::vector<P> ps_;
  std::vector<M> ms_;
  std::deque<int> global_;
  std::vector<int> waiting_;
  int sysmon_ = 0;
  int nextG_ = 1;
  int live_ = 0;
  int64_t steps_ = 0;
};

}  // namespace

std::string syntheticTrace(const GenOptions& o) {
  std::string body = Sim(o).run();
  int64_t n = std::count(body.begin(), body.end(), '\n');
  std::string out = "{\"format\":\"" + std::string(trace::kFormatName) +
                    "\",\"version\":" + std::to_string(trace::kFormatVersion) +
                    ",\"program\":\"synthetic\",\"gomaxprocs\":" + std::to_string(o.procs) +
                    ",\"ncpu\":2,\"clock\":\"ns since trace start\",\"events\":" + std::to_string(n) +
                    "}\n";
  return out + body;
}

std::string writeSyntheticTrace(const std::string& path, const GenOptions& o) {
  std::string text = syntheticTrace(o);
  FILE* f = std::fopen(path.c_str(), "w");
  if (f == nullptr) return path + ": cannot write";
  bool ok = std::fwrite(text.data(), 1, text.size(), f) == text.size();
  ok = std::fclose(f) == 0 && ok;
  return ok ? "" : path + ": write failed";
}

}  // namespace gmps::testing
