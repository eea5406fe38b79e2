#include "host/result_json.h"

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <variant>

#include "absl/time/time.h"
#include "host/json_values.h"
#include "switchboard/actor.h"
#include "switchboard/agent.h"
#include "switchboard/attributes.h"
#include "switchboard/channel.h"
#include "switchboard/contact.h"

namespace switchboard::host {
namespace {

using nlohmann::json;

json Name(std::string_view name) { return json(std::string(name)); }

// null for "", as the bindings' OptionalStr.
json OptionalText(const std::string& s) { return s.empty() ? json(nullptr) : json(s); }

// RFC 3339 in UTC with every fractional digit; null for the infinite times.
json TimeOrNull(absl::Time t) {
  if (t == absl::InfinitePast() || t == absl::InfiniteFuture()) return nullptr;
  return absl::FormatTime(absl::RFC3339_full, t, absl::UTCTimeZone());
}

// Seconds as the bindings' DurationToSeconds: the whole microseconds, over 1e6.
json Seconds(absl::Duration d) {
  return static_cast<double>(absl::ToInt64Microseconds(d)) / 1e6;
}

json DispositionsJson(const std::map<std::string, int64_t, std::less<>>& counts) {
  json out = json::object();
  for (const auto& [code, count] : counts) out[code] = count;
  return out;
}

// State name -> value, every state, as the bindings' time_by_state_s and agents_by_state.
template <typename Array, typename Convert>
json ByState(const Array& values, Convert convert) {
  static_assert(std::tuple_size_v<Array> == kAgentStateCount);
  json out = json::object();
  for (int i = 0; i < kAgentStateCount; ++i) {
    out[std::string(AgentStateName(static_cast<AgentState>(i)))] = convert(values[i]);
  }
  return out;
}

json KpisToJson(const IntervalKpis& k) {
  return {
      {"start", TimeOrNull(k.start)},
      {"end", TimeOrNull(k.end)},
      {"offered", k.offered},
      {"answered", k.answered},
      {"answered_within_threshold", k.answered_within_threshold},
      {"abandoned", k.abandoned},
      {"handled", k.handled},
      {"service_level", k.service_level},
      {"abandon_rate", k.abandon_rate},
      {"asa_s", Seconds(k.asa)},
      {"max_wait_s", Seconds(k.max_wait)},
      {"aht_s", Seconds(k.aht)},
      {"time_by_state_s", ByState(k.time_by_state, Seconds)},
      {"occupancy", k.occupancy},
  };
}

}  // namespace

json EventToJson(const Event& e) {
  return {
      {"sequence", e.sequence},
      {"time", TimeOrNull(e.time)},
      {"type", Name(EventTypeName(e.type))},
      {"actor", ActorName(e.actor)},
      {"cause", Name(CauseName(e.cause))},
      {"contact", OptionalText(e.contact_id)},
      {"agent", OptionalText(e.agent_id)},
      {"queue", OptionalText(e.queue_id)},
      {"channel", EventHasChannel(e) ? Name(ChannelName(e.channel)) : json(nullptr)},
      {"from_state", EventHasStates(e) ? Name(AgentStateName(e.from_state)) : json(nullptr)},
      {"to_state", EventHasStates(e) ? Name(AgentStateName(e.to_state)) : json(nullptr)},
      {"reason", OptionalText(e.reason)},
      {"target", OptionalText(e.target)},
      {"outcome", e.outcome == ContactOutcome::kNone ? json(nullptr)
                                                     : Name(ContactOutcomeName(e.outcome))},
      {"deadline", TimeOrNull(e.deadline)},
      {"wait_s", EventHasWait(e) ? json(static_cast<double>(e.wait_micros) / 1e6) : json(nullptr)},
      {"ewt_s", e.type == EventType::kContactQueued ? Seconds(e.estimated_wait) : json(nullptr)},
  };
}

json QueueStatsToJson(const QueueStats& s) {
  return {
      {"queue", s.queue_id},
      {"open", s.open},
      {"waiting", s.waiting},
      {"longest_wait_s", Seconds(s.longest_wait)},
      {"offered", s.offered},
      {"rejected", s.rejected},
      {"answered", s.answered},
      {"answered_within_threshold", s.answered_within_threshold},
      {"abandoned", s.abandoned},
      {"removed", s.removed},
      {"completed", s.completed},
      {"offers", s.offers},
      {"offers_missed", s.offers_missed},
      {"overflowed", s.overflowed},
      {"transferred", s.transferred},
      {"callbacks", s.callbacks},
      {"callbacks_connected", s.callbacks_connected},
      {"callbacks_failed", s.callbacks_failed},
      {"deflected", s.deflected},
      {"voicemail", s.voicemail},
      {"disconnected", s.disconnected},
      {"service_level", s.service_level},
      {"asa_s", Seconds(s.asa)},
      {"ewt_error_s", Seconds(s.ewt_error)},
      {"ewt_bias_s", Seconds(s.ewt_bias)},
      {"dispositions", DispositionsJson(s.dispositions)},
      {"reserve_active", s.reserve_active},
      {"reserve_service_level", s.reserve_service_level},
  };
}

json AgentStatsToJson(const AgentStats& s) {
  return {
      {"agent", s.agent_id},
      {"team", OptionalText(s.team)},
      {"state", Name(AgentStateName(s.state))},
      {"not_ready_reason", OptionalText(s.not_ready_reason)},
      {"time_in_state_s", Seconds(s.time_in_state)},
      {"contacts_handled", s.contacts_handled},
      {"contacts_handled_total", s.contacts_handled_total},
      {"active_contacts", s.active_contacts},
      {"time_by_state_s", ByState(s.time_by_state, Seconds)},
      {"occupancy", s.occupancy},
      {"routable", s.routable},
      {"dispositions", DispositionsJson(s.dispositions)},
      {"not_routable_reason", OptionalText(s.not_routable_reason)},
      {"transfers", s.transfers},
      {"consults", s.consults},
  };
}

json ContactInfoToJson(const ContactInfo& c) {
  return {
      {"id", c.id},
      {"queue", c.queue},
      {"channel", Name(ChannelName(c.channel))},
      {"state", Name(ContactStateName(c.state))},
      {"agent", OptionalText(c.agent)},
      {"arrival", TimeOrNull(c.arrival)},
      {"priority", c.priority},
      {"priority_class", c.priority_class},
      {"attributes", detail::AttributesJson(c.attributes)},
      {"estimated_wait_s", Seconds(c.estimated_wait)},
      {"position", c.position},
      {"step", c.step},
      {"held_for", OptionalText(c.held_for)},
  };
}

json ExplanationToJson(const Explanation& e) {
  json agents = json::array();
  for (const Explanation::Agent& verdict : e.agents) {
    agents.push_back({
        {"agent", verdict.id},
        {"reason", verdict.reason},
        {"until", TimeOrNull(verdict.until)},
    });
  }
  return {
      {"contact", ContactInfoToJson(e.contact)},
      {"virtual_arrival", TimeOrNull(e.virtual_arrival)},
      {"requirement", e.requirement},
      {"agents", std::move(agents)},
      {"next_change", e.next_change ? TimeOrNull(*e.next_change) : json(nullptr)},
      {"text", e.text},
  };
}

json OfferExplanationToJson(const OfferExplanation& e) {
  // As Engine.explain_offer: the runner-up's key goes with the runner-up.
  const bool runner_up = !e.runner_up.empty();
  return {
      {"contact", e.contact},
      {"agent", e.agent},
      {"queue", e.queue},
      {"strategy", e.strategy},
      {"agent_key", e.agent_key},
      {"runner_up", runner_up ? json(e.runner_up) : json(nullptr)},
      {"runner_up_key", runner_up ? json(e.runner_up_key) : json(nullptr)},
      {"text", e.text},
  };
}

json IntervalStatsToJson(const IntervalStats& s) {
  return {
      {"scope", Name(StatsScopeName(s.scope))},
      {"id", s.id},
      {"as_of", TimeOrNull(s.as_of)},
      {"now",
       {
           {"agents_by_state", ByState(s.now.agents_by_state, [](int n) { return json(n); })},
           {"waiting", s.now.waiting},
           {"longest_wait_s", Seconds(s.now.longest_wait)},
       }},
      {"current", KpisToJson(s.current)},
      {"previous", KpisToJson(s.previous)},
  };
}

json StatusToJson(const absl::Status& s) {
  std::string code = absl::StatusCodeToString(s.code());
  if (code.empty()) code = "UNKNOWN";  // a code this Abseil has no name for
  return {{"code", std::move(code)}, {"message", std::string(s.message())}};
}

}  // namespace switchboard::host
