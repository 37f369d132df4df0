// inspect.h — questions the details panel and the painters ask of the model that the
// model does not answer directly: what state a span means, which G an event is about,
// a G's events in order, the event under a folded run. Pure (no ImGui): unit-tested
// over traces built in memory.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/colors.h"
#include "gmpscope/model/trace_model.h"

namespace gmps::viewer {

using model::EventIndex;
using model::Span;
using model::SpanKind;
using model::TraceModel;

// gStateOf maps a goroutine-lane span to the legend's states.
GState gStateOf(SpanKind k);
// mStateOf maps a machine-lane span to the legend's states.
MState mStateOf(SpanKind k);

// spanColor is the fill of a span in its lane: P and M running spans take the G's
// colour, G spans their state's (blocked ones their reason's).
Rgba spanColor(const Palette& p, const Span& s);

// spanStateText: "running", "runnable (unblocked)", "blocked: chan receive",
// "in syscall", "spinning", "parked", "P held by M3"...
std::string spanStateText(const Span& s);

// eventG returns the G an event is about: the G it names in an argument (newg, gp) when
// it has one, else the G it ran on (-1 for none).
int32_t eventG(const TraceModel& m, EventIndex e);

// goroutineEvents lists the events of G g's life in time order: span boundaries, its
// creation and end, and its marks (unique, sorted by index = time order).
std::vector<EventIndex> goroutineEvents(const TraceModel& m, int32_t g);

// neighbours returns the events before and after e in list (kNoEvent at the ends); e
// need not be in list.
std::pair<EventIndex, EventIndex> neighbours(const std::vector<EventIndex>& list, EventIndex e);

// creatorOf returns the G that created g (from its GoCreate), or -1.
int32_t creatorOf(const TraceModel& m, int32_t g);

// flowsOf returns the indices into m.flows() of the flows with an end at event e.
std::vector<int32_t> flowsOf(const TraceModel& m, EventIndex e);

// otherEnd returns the event at the far end of flow f seen from e.
EventIndex otherEnd(const model::Flow& f, EventIndex e);

// findEvents lists events of kind ev (all kinds when ev < 0) that concern one of gs
// (any G when gs is empty), up to limit.
std::vector<EventIndex> findEvents(const TraceModel& m, int ev, const std::vector<int32_t>& gs,
                                   size_t limit);

// argText renders argument i of e for people ("chan receive", "G12", "P1", "1.25 ms",
// "[G3 G4]").
std::string argText(const TraceModel& m, EventIndex e, int i);

}  // namespace gmps::viewer
