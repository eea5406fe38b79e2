// JSON of the engine's query results and events, for the host daemon's JSON-lines protocol.
//
// Example:
//   absl::StatusOr<QueueStats> stats = engine.GetQueueStats("support");
//   nlohmann::json reply = stats.ok() ? QueueStatsToJson(*stats) : StatusToJson(stats.status());
//   std::cout << reply.dump() << "\n";
//
// Contract, the same for every function here:
//  - Keys and value shapes are those of the Python bindings for the same object (the keys of
//    its to_dict(), bindings/switchboard/_core.pyi): a client that knows one knows the other.
//    Every field of the C++ struct appears, always, so every object of a type has the same keys
//    (tests/result_json_test.cc checks each key set against the Python binding's).
//  - Where Python gives None (an empty optional id or reason, a field that does not apply to
//    an event's type), the JSON has null.
//  - Times are RFC 3339 strings in UTC with every fractional digit the time has
//    (absl::RFC3339_full, e.g. "2023-11-14T22:13:20.25+00:00"): where Python gives Unix
//    seconds, a float. InfinitePast, InfiniteFuture and an absent time are null.
//  - Durations are seconds, a JSON number (a double of the whole microseconds, as Python's);
//    their keys end in "_s".
//  - Enums are their names (AgentStateName, ChannelName, ...); an event's actor is ActorName.
//  - Counts are JSON integers; ratios (service level, occupancy) JSON numbers.
//  - Strings are copied as they are. The engine keeps only valid UTF-8, but a status message
//    may quote bytes the host passed: dump with nlohmann::json::error_handler_t::replace unless
//    the host's input is known to be UTF-8 (as text parsed from JSON is).
// Each function is pure, cannot fail and allocates only the JSON it returns; O(size of the
// input). Thread-safe (no shared state).
#ifndef SWITCHBOARD_HOST_RESULT_JSON_H_
#define SWITCHBOARD_HOST_RESULT_JSON_H_

#include <nlohmann/json.hpp>

#include "absl/status/status.h"
#include "switchboard/engine.h"
#include "switchboard/events.h"
#include "switchboard/interval_stats.h"
#include "switchboard/stats.h"

namespace switchboard::host {

// {"sequence", "time", "type", "actor", "cause", "contact", "agent", "queue", "channel",
//  "from_state", "to_state", "reason", "target", "outcome", "deadline", "wait_s", "ewt_s"}, as
// switchboard.Event: "channel" only for contact_queued, contact_rejected and contact_offered;
// "from_state" and "to_state" only for agent_state_changed; "outcome" only for an event that
// ends a contact; "wait_s" for offers, accepts, requirement steps, ends and a reserve check's
// events; "ewt_s" only for contact_queued; null otherwise (and for an empty id or reason).
nlohmann::json EventToJson(const Event& event);

// As switchboard.QueueStats: "queue" (queue_id), counts, "service_level",
// "longest_wait_s", "asa_s", "ewt_error_s", "ewt_bias_s", "dispositions" (code -> count), ...
nlohmann::json QueueStatsToJson(const QueueStats& s);

// As switchboard.AgentStats: "agent" (agent_id), "state", "not_ready_reason" (null when none),
// "time_in_state_s", "time_by_state_s" (state name -> seconds, every state), ...
nlohmann::json AgentStatsToJson(const AgentStats& s);

// As switchboard.ContactInfo: "id", "queue", "channel", "state", "agent" (null when none),
// "arrival", "attributes" (name -> string or number), "estimated_wait_s", "held_for", ...
nlohmann::json ContactInfoToJson(const ContactInfo& c);

// As switchboard.Explanation: "contact" (as ContactInfoToJson), "virtual_arrival",
// "requirement", "agents" (a list of {"agent", "reason", "until"}, as switchboard.AgentVerdict),
// "next_change" (null when only a command changes the picture), "text".
nlohmann::json ExplanationToJson(const Explanation& e);

// As Engine.explain_offer: {"contact", "agent", "queue", "strategy", "agent_key", "runner_up",
// "runner_up_key", "text"}; "runner_up" and "runner_up_key" null when there is no runner-up.
nlohmann::json OfferExplanationToJson(const OfferExplanation& e);

// As Engine.interval_stats: {"scope", "id", "as_of", "now", "current", "previous"}; "now" is
// {"agents_by_state" (state name -> count), "waiting", "longest_wait_s"}; "current" and
// "previous" are {"start", "end", "offered", "answered", "answered_within_threshold",
// "abandoned", "handled", "service_level", "abandon_rate", "asa_s", "max_wait_s", "aht_s",
// "time_by_state_s" (state name -> seconds), "occupancy"}.
nlohmann::json IntervalStatsToJson(const IntervalStats& s);

// {"code": "NOT_FOUND", "message": "agent 'a9' does not exist"}: the code as
// absl::StatusCodeToString names it (upper snake case: "OK", "INVALID_ARGUMENT",
// "FAILED_PRECONDITION", ...; "UNKNOWN" for a code it has no name for), and the message
// (empty for OK). Payloads are not included.
nlohmann::json StatusToJson(const absl::Status& s);

}  // namespace switchboard::host

#endif  // SWITCHBOARD_HOST_RESULT_JSON_H_
