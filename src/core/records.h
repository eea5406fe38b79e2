// The engine's internal records of agents and contacts, and what an agent's record refers to.
// Shared by the core's files; not part of the API. docs/architecture.md describes the
// structures and the cost of each operation.
#ifndef SWITCHBOARD_SRC_CORE_RECORDS_H_
#define SWITCHBOARD_SRC_CORE_RECORDS_H_

#include <algorithm>
#include <array>
#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/container/inlined_vector.h"
#include "base/chunked_vector.h"
#include "base/ids.h"
#include "base/prefetch.h"
#include "index/wait_key.h"
#include "switchboard/agent.h"
#include "switchboard/capacity.h"
#include "switchboard/contact.h"
#include "switchboard/queue.h"
#include "switchboard/requirements.h"
#include "switchboard/skills.h"

namespace switchboard::detail {

// A queue an agent serves, with the agent's preference for it.
struct ServedQueue {
  Micros delay = 0;  // minimum effective wait of contacts the agent takes from it
  QueueIndex queue = kNoIndex;
  int priority = 0;     // the agent's priority for the queue
  int skill_score = 0;  // Requirement::Score of the agent on the queue (most_skilled)
  bool reserve = false; // a reserve member: takes contacts while the queue's reserve is active
};

using ServedQueues = absl::InlinedVector<ServedQueue, 2>;

// Removes the first element equal to `value`, keeping the order of the others.
template <typename Vector, typename T>
void EraseFirst(Vector& vector, const T& value) {
  auto it = std::find(vector.begin(), vector.end(), value);
  if (it == vector.end()) return;
  if (it + 1 == vector.end()) {
    vector.pop_back();  // the usual case (one contact), cheaper than the general erase
  } else {
    vector.erase(it);
  }
}

// Where an agent's served queues and pool member numbers are, by agent index: outside its
// record once they outgrow the inline storage (more than two queues, four members). Routing
// reads them right after choosing the agent; had their addresses come from the record, those
// misses would wait for the record's. From this dense array both are requested with the record.
// Only ever prefetched, never read through, so an address gone stale costs speed, not
// correctness.
struct AgentListsAt {
  const void* served = nullptr;
  const void* members = nullptr;
};

// A contact in wrap-up: it has ended but still occupies the agent's capacity.
struct WrapUp {
  std::string contact_id;
  Channel channel = Channel::kVoice;
  QueueIndex queue = kNoIndex;
  Micros deadline = std::numeric_limits<Micros>::max();  // max: until the agent ends it
  Micros extended = 0;                                   // extension granted so far
  uint64_t token = 0;                                    // identifies the wrap-up for its timer
};

struct AgentReasons {
  std::string current;   // the not-ready reason
  std::string reported;  // the reason in the last state-change event
  std::string pending;   // the reason of a pending not-ready
};

// What the host said about an agent that routing never reads: kept apart so that the records
// the hot path walks stay small.
struct AgentProfile {
  std::vector<std::string> groups;
  Attributes attributes;
  std::vector<QueueMembership> explicit_queues;
  std::string team;
};

// Hot fields first and together: the per-contact commands and routing read an agent's state,
// load, contacts and queues on every decision, and agents are visited in no particular order,
// so each record is a cache miss; keeping what they read in a few adjacent lines (and the short
// lists inline, not behind pointers, the record aligned to cache lines) keeps it to few misses.
// What the host reads or configures, and what few strategies use, follows.
struct alignas(64) Agent {
  // ---- Hot. First line: the id (the lookup compares it) and the state.
  std::string id;
  bool logged_in = false;
  bool ready = false;
  PendingChange pending = PendingChange::kNone;
  AgentState state = AgentState::kLoggedOut;
  uint16_t channels = 0;         // bit c: capacity.limit[c] > 0
  uint16_t held_channels = 0;    // bit c: load.count[c] > 0
  uint16_t pooled_channels = 0;  // channels it is pooled on (0: in no pool)
  ChannelLoad load;
  std::array<uint8_t, kChannelCount> channel_rank{};
  uint8_t channel_count = 0;
  // Then its contacts, its queues and what each decision reads or updates.
  absl::InlinedVector<ContactSlot, 2> offers;
  absl::InlinedVector<ContactSlot, 2> connected;

 private:
  std::unique_ptr<AgentReasons> reasons;  // read on every state change: see Reason() below

 public:
  // All that host score reads of a candidate's record: the id and this count (two lines).
  int64_t handled_since_login = 0;
  Micros free_since = 0;  // when it last became free (longest idle counts from here)
  // Sorted by the agent's priority (higher first), then queue priority, then queue index.
  ServedQueues served;
  Micros state_since = 0;
  // Its member number in each heap or weighted pool it is in: one slot per (served queue,
  // channel it can hold), at served index × (number of its channels) + the channel's rank.
  absl::InlinedVector<uint32_t, 4> pool_members;
  std::vector<WrapUp> wrap_ups;
  Micros busy_since = -1;  // start of the open busy or wrap-up interval; -1: none open
  CapacityConfig capacity;
  int consecutive_misses = 0;
  double weight = 1.0;
  int64_t handled_total = 0;
  std::array<Micros, kAgentStateCount> time_by_state{};
  int64_t occupancy_key = 0;  // parts per million, at insertion into the pools
  // Contacts waiting for this agent as their preferred agent; null while there are none (most
  // agents, most of the time), which keeps the record to seven cache lines.
  std::unique_ptr<PreferredWaiting> preferred_waiting;

  // ---- Cold.
  uint64_t missed_delay_token = 0;  // non-zero while a missed-offer delay runs
  SkillSet skills;
  std::unique_ptr<AgentProfile> profile;  // null when the host gave none of it (most agents)
  bool auto_membership = true;
  bool removed = false;  // RemoveAgent: its id is free; the record stays (indexes are stable)
  // Whether it was routable after its last change (agent_routable_changed).
  bool routable_reported = false;
  // Busy or wrap-up intervals within the occupancy window, oldest first; kept only while some
  // queue routes by least occupied (null otherwise).
  std::unique_ptr<std::vector<std::pair<Micros, Micros>>> busy_intervals;

  // Where pool_members keeps its member number in the pool of (served[i], channel).
  size_t PoolMemberSlot(size_t i, Channel channel) const {
    return i * channel_count + channel_rank[static_cast<int>(channel)];
  }

  const AgentProfile& Profile() const {
    static const AgentProfile kNone;
    return profile ? *profile : kNone;
  }

  // Not-ready reasons: empty for an agent that is ready with nothing pending, so they live
  // behind a pointer that is null then (most agents, most of the time).
  std::string_view Reason() const { return reasons ? reasons->current : std::string_view(); }
  std::string_view ReportedReason() const {
    return reasons ? reasons->reported : std::string_view();
  }
  std::string_view PendingReason() const { return reasons ? reasons->pending : std::string_view(); }
  void SetReason(std::string_view value) { SetReasonField(&AgentReasons::current, value); }
  void SetReportedReason(std::string_view value) { SetReasonField(&AgentReasons::reported, value); }
  void SetPendingReason(std::string_view value) { SetReasonField(&AgentReasons::pending, value); }

 private:
  void SetReasonField(std::string AgentReasons::*field, std::string_view value) {
    if (!reasons) {
      if (value.empty()) return;
      reasons = std::make_unique<AgentReasons>();
    }
    ((*reasons).*field).assign(value);
    if (reasons->current.empty() && reasons->reported.empty() && reasons->pending.empty()) {
      reasons.reset();
    }
  }
};

// Whether the agent holds any contact: offered, connected or in wrap-up.
inline bool HoldsSomething(const Agent& agent) {
  return !agent.offers.empty() || !agent.connected.empty() || !agent.wrap_ups.empty();
}

// Agents a contact must not be offered to until the given time (RONA cool-down).
using Cooldowns = std::vector<std::pair<AgentIndex, Micros>>;

// Two cache lines, aligned: what the per-contact commands and routing read first (the id the
// lookups compare, the state, queue and agent) in the first; times and rarely set parts in the
// second, behind pointers when they are rarely set.
struct alignas(64) Contact {
  // ---- First line.
  std::string id;
  uint64_t sequence = 0;  // entry order; also identifies this contact for timers
  QueueIndex queue = kNoIndex;
  AgentIndex agent = kNoIndex;      // offered to or connected with
  AgentIndex preferred = kNoIndex;  // while in the preferred agent's hold
  uint32_t id_hash = 0;             // IdIndex::HashOf(id), so that leaving the index is cheap
  Channel channel = Channel::kVoice;
  ContactState state = ContactState::kWaiting;
  uint8_t priority_class = 0;
  bool answered : 1 = false;
  bool in_use : 1 = false;
  bool queued : 1 = false;         // in a waiting set (its queue's or its preferred agent's)
  bool waited : 1 = false;         // has been in a waiting set
  bool serve_counted : 1 = false;  // its first serve from waiting has been measured (EWT)
  // Overflow (overflow.cc). `shadow`: a copy of another contact (no id, no events of its own);
  // `callback`: it accepted a callback (rule `policy_rule`); `asked`:
  // the customer has been asked rule `policy_rule`'s offer and not answered; `overflow_due`: its
  // next wait rule fell due while it rang (or before it arrived), and applies once it waits.
  bool callback : 1 = false;
  bool asked : 1 = false;
  bool overflow_due : 1 = false;
  uint8_t transfers : 7 = 0;  // by overflow rules (at most kMaxTransfers)
  bool shadow : 1 = false;
  uint8_t next_rule = 0;    // its queue's wait_rules from this position on may still fire
  uint8_t policy_rule = 0;
  uint8_t attempts : 7 = 0;  // callback dial attempts made (at most 1 + kMaxCallbackRetries)
  // It has a copy waiting in another queue, or is one (`shadow`): Engine::Impl::copies_ links
  // the two.
  bool copied : 1 = false;
  // ---- Second line.
  Micros arrival = 0;
  Micros virtual_arrival = 0;
  // Once `answered`, when it was; before that, when it entered its current queue (its arrival,
  // or its last transfer), which its queue's wait rules count from.
  Micros answered_at = 0;
  Micros preferred_until = 0;
  uint64_t offer_token = 0;  // the current offer's, or while on hold the current hold's
  std::unique_ptr<Cooldowns> cooldowns;  // null when it has none (most contacts)
  // The host's attributes; null when it gave none (most contacts), to keep contacts small.
  std::unique_ptr<Attributes> attributes;
  int priority = 0;
  uint32_t ewt_ms = 0;  // the wait estimated when it entered, in milliseconds

  bool HasCooldowns() const { return cooldowns && !cooldowns->empty(); }

  WaitKey wait_key(ContactSlot slot) const {
    return {virtual_arrival, static_cast<uint32_t>(sequence), slot,
            static_cast<uint8_t>(255 - priority_class), HasCooldowns()};
  }
};

static_assert(sizeof(Contact) == 128, "a contact is two cache lines: see the layout above");

}  // namespace switchboard::detail

#endif  // SWITCHBOARD_SRC_CORE_RECORDS_H_
