// names.cpp — printable names of the model's enums (Go's words where Go has them).
#include "gmpscope/model/types.h"

namespace gmps::model {

const char* gStatusName(GStatus s) {
  switch (s) {
    case GStatus::None: return "not created";
    case GStatus::Runnable: return "runnable";
    case GStatus::Running: return "running";
    case GStatus::Waiting: return "waiting";
    case GStatus::Syscall: return "in a syscall";
    case GStatus::Dead: return "dead";
    case GStatus::Count: break;
  }
  return "?";
}

const char* mStatusName(MStatus s) {
  switch (s) {
    case MStatus::None: return "not started";
    case MStatus::Idle: return "idle";
    case MStatus::Spinning: return "spinning";
    case MStatus::Parked: return "parked";
    case MStatus::Running: return "running";
    case MStatus::Syscall: return "in a syscall";
    case MStatus::Count: break;
  }
  return "?";
}

const char* spanKindName(SpanKind k) {
  switch (k) {
    case SpanKind::GRunnable: return "runnable";
    case SpanKind::GRunning: return "running";
    case SpanKind::GWaiting: return "waiting";
    case SpanKind::GSyscall: return "syscall";
    case SpanKind::PRunning: return "running";
    case SpanKind::PHeld: return "held";
    case SpanKind::MRunning: return "running";
    case SpanKind::MSyscall: return "syscall";
    case SpanKind::MSpinning: return "spinning";
    case SpanKind::MParked: return "parked";
    case SpanKind::Count: break;
  }
  return "?";
}

const char* flowKindName(FlowKind k) {
  switch (k) {
    case FlowKind::Create: return "create";
    case FlowKind::Unblock: return "unblock";
    case FlowKind::Steal: return "steal";
    case FlowKind::Preempt: return "preempt";
    case FlowKind::Handoff: return "handoff";
    case FlowKind::Count: break;
  }
  return "?";
}

}  // namespace gmps::model
