// loader.cpp — read + build in one call, on the caller's thread or a background one.
#include <malloc.h>

#include <exception>

#include "gmpscope/model/trace_model.h"

namespace gmps::model {
namespace {

// Parsing is most of a load; the model is built in the last fifth of the bar.
constexpr float kParseShare = 0.8f;

LoadResult finish(trace::ReadResult&& r, LoadProgress* progress) {
  LoadResult out;
  out.warnings = std::move(r.warnings);
  if (!r.ok()) {
    out.error = std::move(r.error);
    return out;
  }
  std::string name = r.trace->name;
  out.model = TraceModel::build(std::move(*r.trace), progress);
  // The parse and the build free as much as the model keeps (per-thread event blocks,
  // the builder's logs); hand those pages back rather than hold them for the session.
  ::malloc_trim(0);
  if (out.model == nullptr) {
    bool cancelled = progress != nullptr && progress->read.cancel.load(std::memory_order_relaxed);
    out.error = name + (cancelled ? ": cancelled" : ": not enough memory to build the model");
  }
  return out;
}

}  // namespace

LoadResult loadTrace(const std::string& path, LoadProgress* progress, int threads) {
  try {
    trace::ReadOptions o;
    o.threads = threads;
    o.progress = progress != nullptr ? &progress->read : nullptr;
    o.progressScale = kParseShare;
    return finish(trace::readTrace(path, o), progress);
  } catch (const std::exception& ex) {
    LoadResult out;
    out.error = path + ": cannot load: " + ex.what();
    return out;
  }
}

LoadResult loadTraceText(std::string_view text, const std::string& name) {
  try {
    trace::ReadOptions o;
    o.threads = 1;
    return finish(trace::readTraceText(text, name, o), nullptr);
  } catch (const std::exception& ex) {
    LoadResult out;
    out.error = name + ": cannot load: " + ex.what();
    return out;
  }
}

// ---------------------------------------------------------------------------
// AsyncLoader

AsyncLoader::~AsyncLoader() {
  cancel();
  if (thread_.joinable()) thread_.join();
}

void AsyncLoader::start(const std::string& path, int threads) {
  cancel();
  if (thread_.joinable()) thread_.join();
  progress_ = std::make_unique<LoadProgress>();
  result_ = LoadResult{};
  done_.store(false, std::memory_order_relaxed);
  LoadProgress* p = progress_.get();
  thread_ = std::thread([this, path, threads, p] {
    result_ = loadTrace(path, p, threads);
    done_.store(true, std::memory_order_release);  // publishes result_ to take()
  });
}

LoadResult AsyncLoader::take() {
  if (thread_.joinable()) thread_.join();
  LoadResult r = std::move(result_);
  result_ = LoadResult{};
  done_.store(false, std::memory_order_relaxed);
  return r;
}

}  // namespace gmps::model
