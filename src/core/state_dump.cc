// Engine::DumpState: the engine's whole state as canonical JSON (engine.h states the contract).
// This file writes the engine-wide state, the options, the queues, the timers and the entry
// rules; state_dump_records.cc writes agents and contacts.
//
// Left out on purpose, each a function of what is dumped or not state at all:
//  - queue_ids_, agent_ids_, contact_ids_: the id tables (the ids are in the records);
//  - the agent pools' entries (an agent's place follows from its record: served queues,
//    pooled channels, free_since, occupancy_key, handled_since_login); but a pool's member
//    numbers, which decide a weighted draw, are in (free list, numbers given out, and each
//    agent's pool_members);
//  - Queue::by_arrival (the arrival and sequence of its waiting and held contacts), the opening
//    schedule (compiled from config.hours), Agent::channel_rank/channel_count (from capacity),
//    agent_lists_at_ (prefetch addresses), score_candidates_ (a buffer);
//  - WaitingSet's split between lanes and tree and its departed marks (speed, not order);
//  - the host's hooks (sink, scorer, listeners) and the buffered events (their count is in);
//  - stale timers (see DumpTimers).
#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "absl/time/civil_time.h"
#include "base/json_writer.h"
#include "core/engine_impl.h"
#include "core/state_dump.h"

namespace switchboard {

using detail::JsonWriter;
using detail::WriteDuration;
using detail::WriteIndex;
using detail::WriteMicrosDuration;
using detail::WriteTime;

namespace {

std::string_view TimerKindName(TimerKind kind) {
  switch (kind) {
    case TimerKind::kOfferTimeout: return "offer_timeout";
    case TimerKind::kWrapUpEnd: return "wrap_up_end";
    case TimerKind::kMissedOfferDelay: return "missed_offer_delay";
    case TimerKind::kPreferredTimeout: return "preferred_timeout";
    case TimerKind::kCooldownEnd: return "cooldown_end";
    case TimerKind::kRequirementStep: return "requirement_step";
    case TimerKind::kOverflowWait: return "overflow_wait";
    case TimerKind::kCallbackDue: return "callback_due";
    case TimerKind::kNoAgents: return "no_agents";
    case TimerKind::kQueueHours: return "queue_hours";
    case TimerKind::kHoldLimit: return "hold_limit";
    case TimerKind::kReserveCheck: return "reserve_check";
    case TimerKind::kQueueRecheck: return "queue_recheck";
  }
  return "unknown";
}

std::string_view WrapUpModeName(WrapUpPolicy::Mode mode) {
  switch (mode) {
    case WrapUpPolicy::Mode::kNone: return "none";
    case WrapUpPolicy::Mode::kTimed: return "timed";
    case WrapUpPolicy::Mode::kUntilAgentEnds: return "until_agent_ends";
    case WrapUpPolicy::Mode::kTimedWithExtension: return "timed_with_extension";
  }
  return "unknown";
}

std::string_view LayoutName(detail::AgentPool::Layout layout) {
  switch (layout) {
    case detail::AgentPool::Layout::kHeap: return "heap";
    case detail::AgentPool::Layout::kByAgent: return "by_agent";
    case detail::AgentPool::Layout::kWeighted: return "weighted";
  }
  return "unknown";
}

void WriteRanges(JsonWriter& out, const std::vector<OpeningRange>& ranges) {
  out.BeginArray();
  for (const OpeningRange& range : ranges) {
    out.BeginArray().Int(range.start_minute).Int(range.end_minute).EndArray();
  }
  out.EndArray();
}

void WriteHours(JsonWriter& out, const OpeningHours& hours) {
  out.BeginObject();
  out.Key("zone").String(hours.zone);
  out.Key("weekly").BeginArray();
  for (const auto& day : hours.weekly) WriteRanges(out, day);
  out.EndArray();
  out.Key("closed_on").BeginArray();
  for (const absl::CivilDay day : hours.closed_on) out.String(absl::FormatCivilTime(day));
  out.EndArray();
  out.Key("overrides").BeginArray();
  for (const DatedHours& dated : hours.overrides) {
    out.BeginObject();
    out.Key("day").String(absl::FormatCivilTime(dated.day));
    out.Key("ranges");
    WriteRanges(out, dated.ranges);
    out.EndObject();
  }
  out.EndArray();
  out.EndObject();
}

void WriteOverflowRule(JsonWriter& out, const OverflowRule& rule) {
  out.BeginObject();
  out.Key("trigger").String(OverflowTriggerName(rule.trigger));
  out.Key("wait");
  WriteDuration(out, rule.wait);
  out.Key("queue_length").Int(rule.queue_length);
  out.Key("action").String(OverflowActionName(rule.action));
  out.Key("target").String(rule.target);
  out.Key("look_ahead").Bool(rule.look_ahead);
  out.Key("ask").Bool(rule.ask);
  out.Key("reason").String(rule.reason);
  out.Key("callback").BeginObject();
  out.Key("mode").String(rule.callback.mode == CallbackPolicy::Mode::kKeepPlace ? "keep_place"
                                                                               : "scheduled");
  out.Key("after");
  WriteDuration(out, rule.callback.after);
  out.Key("priority").Int(rule.callback.priority);
  out.Key("retries").Int(rule.callback.retries);
  out.Key("retry_after");
  WriteDuration(out, rule.callback.retry_after);
  out.EndObject();
  out.EndObject();
}

void WriteReservePolicy(JsonWriter& out, const ReservePolicy& policy) {
  out.BeginObject();
  out.Key("activate_below").Double(policy.activate_below);
  out.Key("deactivate_at").Double(policy.deactivate_at);
  out.Key("activate_wait");
  WriteDuration(out, policy.activate_wait);
  out.Key("deactivate_wait");
  WriteDuration(out, policy.deactivate_wait);
  out.Key("window");
  WriteDuration(out, policy.window);
  out.Key("check_every");
  WriteDuration(out, policy.check_every);
  out.EndObject();
}

// The configuration as the host gave it (AddQueue, UpdateQueue).
void WriteQueueConfig(JsonWriter& out, const QueueConfig& config) {
  out.BeginObject();
  out.Key("id").String(config.id);
  out.Key("requirement").String(config.requirement);
  out.Key("strategy").String(StrategyName(config.strategy));
  out.Key("ring_agents").Int(config.ring_agents);
  out.Key("priority").Int(config.priority);
  out.Key("service_level_threshold");
  WriteDuration(out, config.service_level_threshold);
  out.Key("service_level_target").Double(config.service_level_target);
  out.Key("max_length").Int(config.max_length);
  out.Key("max_hold");
  WriteDuration(out, config.max_hold);
  out.Key("wrap_up").BeginObject();
  out.Key("mode").String(WrapUpModeName(config.wrap_up.mode));
  out.Key("duration");
  WriteDuration(out, config.wrap_up.duration);
  out.Key("max_extension");
  WriteDuration(out, config.wrap_up.max_extension);
  out.EndObject();
  out.Key("steps").BeginArray();
  for (const RequirementStep& step : config.steps) {
    out.BeginObject();
    out.Key("after");
    WriteDuration(out, step.after);
    out.Key("requirement").String(step.requirement);
    out.EndObject();
  }
  out.EndArray();
  out.Key("overflow").BeginArray();
  for (const OverflowRule& rule : config.overflow) WriteOverflowRule(out, rule);
  out.EndArray();
  out.Key("hours");
  if (config.hours) {
    WriteHours(out, *config.hours);
  } else {
    out.Null();
  }
  out.Key("reserve");
  if (config.reserve) {
    WriteReservePolicy(out, *config.reserve);
  } else {
    out.Null();
  }
  out.EndObject();
}

void WriteCounters(JsonWriter& out, const QueueCounters& c) {
  out.BeginObject();
  out.Key("offered").Int(c.offered);
  out.Key("rejected").Int(c.rejected);
  out.Key("answered").Int(c.answered);
  out.Key("answered_within_threshold").Int(c.answered_within_threshold);
  out.Key("abandoned").Int(c.abandoned);
  out.Key("removed").Int(c.removed);
  out.Key("completed").Int(c.completed);
  out.Key("offers").Int(c.offers);
  out.Key("offers_missed").Int(c.offers_missed);
  out.Key("overflowed").Int(c.overflowed);
  out.Key("transferred").Int(c.transferred);
  out.Key("callbacks").Int(c.callbacks);
  out.Key("callbacks_connected").Int(c.callbacks_connected);
  out.Key("callbacks_failed").Int(c.callbacks_failed);
  out.Key("deflected").Int(c.deflected);
  out.Key("voicemail").Int(c.voicemail);
  out.Key("disconnected").Int(c.disconnected);
  out.Key("total_answer_wait");
  WriteMicrosDuration(out, c.total_answer_wait);
  out.Key("ewt_error_sum");
  WriteMicrosDuration(out, c.ewt_error_sum);
  out.Key("ewt_abs_error_sum");
  WriteMicrosDuration(out, c.ewt_abs_error_sum);
  out.Key("dispositions").BeginObject();
  for (const auto& [code, count] : c.dispositions) out.Key(code).Int(count);
  out.EndObject();
  out.EndObject();
}

void WriteReserveState(JsonWriter& out, const ReserveState& state) {
  out.BeginObject();
  out.Key("activate_below").Double(state.activate_below);
  out.Key("deactivate_at").Double(state.deactivate_at);
  out.Key("activate_wait");
  WriteMicrosDuration(out, state.activate_wait);
  out.Key("deactivate_wait");
  WriteMicrosDuration(out, state.deactivate_wait);
  out.Key("window");
  WriteMicrosDuration(out, state.window);
  out.Key("check_every");
  WriteMicrosDuration(out, state.check_every);
  out.Key("decided").BeginArray();  // oldest first: [when, answered within the threshold]
  for (const auto& [when, within] : state.decided) {
    out.BeginArray();
    WriteTime(out, when);
    out.Bool(within);
    out.EndArray();
  }
  out.EndArray();
  out.Key("within").Int(state.within);
  out.Key("check_at");
  WriteTime(out, state.check_at);
  out.EndObject();
}

void WriteTier(JsonWriter& out, const Tier& tier) {
  out.BeginObject();
  out.Key("min_wait");
  WriteMicrosDuration(out, tier.min_wait);
  out.Key("reserve").Bool(tier.reserve);
  out.Key("layout").String(LayoutName(tier.pool.layout()));
  out.Key("size").Int(tier.pool.size());
  // Member numbers: which number an agent gets next (kWeighted draws walk them in order).
  out.Key("member_numbers").Uint(tier.pool.member_numbers());
  out.Key("free_members").BeginArray();
  for (const uint32_t member : tier.pool.free_members()) out.Uint(member);
  out.EndArray();
  out.EndObject();
}

}  // namespace

std::string Engine::Impl::DumpState() const {
  JsonWriter out;
  out.BeginObject();
  out.Key("format").String("switchboard.state.v1");
  out.Key("now");
  WriteTime(out, now_);
  out.Key("options");
  DumpOptions(out);

  // Engine-wide counters and flags: each a tie-breaker, an id source or a switch of routing.
  out.Key("random").BeginArray();
  for (int i = 0; i < detail::Random::kStateWords; ++i) out.Uint(random_.state()[i]);
  out.EndArray();
  out.Key("next_token").Uint(next_token_);
  out.Key("next_contact_sequence").Uint(next_contact_sequence_);
  out.Key("event_sequence").Uint(event_sequence_);
  out.Key("events_buffered").Uint(events_.size());
  out.Key("timers_scheduled").Uint(timers_.scheduled());
  out.Key("least_occupied_queues").Int(least_occupied_queues_);
  out.Key("multi_offer").Bool(multi_offer_);
  out.Key("actor").String(ActorName(actor_));  // the last command's (or the system's)
  out.Key("cause").String(CauseName(cause_));
  out.Key("contact_callback_at");
  if (contact_callback_at_) {
    WriteTime(out, *contact_callback_at_);
  } else {
    out.Null();
  }

  out.Key("skills").BeginArray();  // by skill id
  for (int id = 0; id < skills_.size(); ++id) out.String(skills_.Name(static_cast<SkillId>(id)));
  out.EndArray();
  // Agents per skill, in the order they were indexed (the order agents are visited in when a
  // queue is added or changed).
  out.Key("agents_by_skill").BeginArray();
  for (const auto& agents : agents_by_skill_) {
    out.BeginArray();
    for (const AgentIndex agent : agents) out.Uint(agent);
    out.EndArray();
  }
  out.EndArray();

  out.Key("queues").BeginArray();
  for (size_t q = 0; q < queues_.size(); ++q) DumpQueue(out, static_cast<QueueIndex>(q));
  out.EndArray();

  out.Key("entry_rules").BeginArray();
  for (const EntryRuleRecord& rule : entry_rules_) {
    out.BeginObject();
    out.Key("when").String(rule.when.text());
    out.Key("queue");
    WriteIndex(out, rule.queue);
    out.Key("entry");
    WriteIndex(out, rule.entry);
    out.Key("priority");
    rule.priority ? out.Int(*rule.priority) : out.Null();
    out.Key("priority_class");
    rule.priority_class ? out.Int(*rule.priority_class) : out.Null();
    out.Key("deflect").String(rule.deflect);
    out.Key("description").String(rule.description);
    out.EndObject();
  }
  out.EndArray();

  out.Key("agents").BeginArray();
  for (size_t a = 0; a < agents_.size(); ++a) DumpAgent(out, static_cast<AgentIndex>(a));
  out.EndArray();

  out.Key("contacts").BeginArray();  // by slot, free slots included (as null)
  for (size_t c = 0; c < contacts_.size(); ++c) DumpContact(out, static_cast<ContactSlot>(c));
  out.EndArray();
  out.Key("free_slots").BeginArray();  // the last is taken next
  for (const ContactSlot slot : free_slots_) out.Uint(slot);
  out.EndArray();

  out.Key("timers");
  DumpTimers(out);
  out.Key("interval_stats");
  interval_stats_.Dump(out);
  out.EndObject();
  return std::move(out).Take();
}

void Engine::Impl::DumpOptions(JsonWriter& out) const {
  const EngineOptions& o = options_;
  out.BeginObject();
  out.Key("offer_timeout");
  WriteDuration(out, o.offer_timeout);
  out.Key("rona_cooldown");
  WriteDuration(out, o.rona_cooldown);
  out.Key("max_consecutive_misses").Int(o.max_consecutive_misses);
  out.Key("reject_delay");
  WriteDuration(out, o.reject_delay);
  out.Key("timeout_delay");
  WriteDuration(out, o.timeout_delay);
  out.Key("aging_unit");
  WriteDuration(out, o.aging_unit);
  out.Key("occupancy_window");
  WriteDuration(out, o.occupancy_window);
  out.Key("seed").Uint(o.seed);
  out.Key("host_score_candidates").Int(o.host_score_candidates);
  out.Key("record_events").Bool(o.record_events);
  out.Key("max_buffered_events").Int(o.max_buffered_events);
  out.Key("huge_page_records").Bool(o.huge_page_records);
  out.Key("expected_agents").Int(o.expected_agents);
  out.Key("expected_contacts").Int(o.expected_contacts);
  out.Key("ewt_initial_interval");
  WriteDuration(out, o.ewt_initial_interval);
  out.Key("max_transfers").Int(o.max_transfers);
  out.Key("stats_interval");
  WriteDuration(out, o.stats_interval);
  out.EndObject();
}

void Engine::Impl::DumpQueue(JsonWriter& out, QueueIndex index) const {
  const Queue& queue = queues_[index];
  out.BeginObject();
  out.Key("index").Uint(index);
  out.Key("home").Uint(queue.home);
  out.Key("chain").Uint(queue.chain);
  out.Key("step").Uint(queue.step);
  out.Key("removed").Bool(queue.removed);
  out.Key("requirement").String(queue.requirement.text());
  out.Key("own_requirement").String(queue.own_requirement);
  out.Key("config");
  WriteQueueConfig(out, queue.config);
  out.Key("steps").BeginArray();
  for (const Queue::Step& step : queue.steps) {
    out.BeginObject();
    out.Key("after");
    WriteMicrosDuration(out, step.after);
    out.Key("queue").Uint(step.queue);
    out.EndObject();
  }
  out.EndArray();
  out.Key("members").BeginArray();
  for (const QueueIndex member : queue.members) out.Uint(member);
  out.EndArray();

  // Estimated wait.
  out.Key("serve_interval_us").Double(queue.serve_interval);
  out.Key("last_serve");
  WriteTime(out, queue.last_serve);
  out.Key("service_level_threshold");
  WriteMicrosDuration(out, queue.service_level_threshold);

  // Waiting contacts per channel in service order, with their keys; then the agent tiers.
  out.Key("waiting_count").Int(queue.waiting_count);
  out.Key("waiting").BeginObject();
  for (const Channel channel : kAllChannels) {
    const detail::WaitingSet& set = queue.waiting[static_cast<size_t>(channel)];
    if (set.empty()) continue;
    out.Key(ChannelName(channel)).BeginArray();
    for (const detail::WaitKey& key : set) detail::WriteWaitKey(out, key);
    out.EndArray();
  }
  out.EndObject();
  out.Key("tiers").BeginObject();
  for (const Channel channel : kAllChannels) {
    const auto& tiers = queue.tiers[static_cast<size_t>(channel)];
    if (tiers.empty()) continue;
    out.Key(ChannelName(channel)).BeginArray();
    for (const auto& tier : tiers) WriteTier(out, *tier);
    out.EndArray();
  }
  out.EndObject();
  out.Key("round_robin_cursor");
  WriteIndex(out, queue.round_robin_cursor);
  out.Key("recheck_at").BeginObject();
  for (const Channel channel : kAllChannels) {
    const Micros at = queue.recheck_at[static_cast<size_t>(channel)];
    if (at == std::numeric_limits<Micros>::max()) continue;
    out.Key(ChannelName(channel));
    WriteTime(out, at);
  }
  out.EndObject();
  out.Key("counters");
  WriteCounters(out, queue.counters);

  // Overflow rules as resolved, opening hours, logged-in agents, reserve.
  out.Key("overflow").BeginArray();
  for (const Queue::Rule& rule : queue.overflow) {
    out.BeginObject();
    out.Key("target");
    WriteIndex(out, rule.target);
    out.Key("wait");
    WriteMicrosDuration(out, rule.wait);
    out.EndObject();
  }
  out.EndArray();
  out.Key("wait_rules").BeginArray();
  for (const uint8_t rule : queue.wait_rules) out.Uint(rule);
  out.EndArray();
  out.Key("arrival_rules").Bool(queue.arrival_rules);
  out.Key("no_agents_rules").Bool(queue.no_agents_rules);
  out.Key("closed_rules").Bool(queue.closed_rules);
  out.Key("rules_epoch").Uint(queue.rules_epoch);
  out.Key("has_schedule").Bool(queue.schedule != nullptr);
  out.Key("open").Bool(queue.open);
  out.Key("hours_change");
  WriteTime(out, queue.hours_change);
  out.Key("logged_in_agents").Int(queue.logged_in_agents);
  out.Key("reserve_active").Bool(queue.reserve_active);
  out.Key("reserve");
  if (queue.reserve) {
    WriteReserveState(out, *queue.reserve);
  } else {
    out.Null();
  }
  out.EndObject();
}

// The live timers, in the order they would fire (time, kind, then the order they were set: the
// calendar's rank, whose order part is written as `order`). A timer that is not live now is
// left out: whether the calendar still holds it depends on whether NextDeadline has looked past
// it (a query, which drops the stale timers it meets), so dumping it would tell apart engines
// that had the same commands.
void Engine::Impl::DumpTimers(JsonWriter& out) const {
  std::vector<Timer> live;
  timers_.ForEach([&](const Timer& timer) {
    if (IsLive(timer)) live.push_back(timer);
  });
  std::sort(live.begin(), live.end());
  out.BeginArray();
  constexpr uint64_t kOrderMask = (uint64_t{1} << 56) - 1;
  for (const Timer& timer : live) {
    out.BeginObject();
    out.Key("time");
    WriteTime(out, timer.time);
    out.Key("kind").String(TimerKindName(timer.kind()));
    out.Key("order").Uint(timer.rank & kOrderMask);
    out.Key("a").Uint(timer.a);
    out.Key("b").Uint(timer.b);
    out.Key("token").Uint(timer.token);
    out.EndObject();
  }
  out.EndArray();
}

}  // namespace switchboard
