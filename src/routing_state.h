// The engine's internal records of agents, contacts and queues, and the keys of the indexes
// that routing uses. Shared by engine.cc, agent_pool.cc and strategy.cc; not part of the API.
// docs/architecture.md describes the structures and the cost of each operation.
#ifndef SWITCHBOARD_SRC_ROUTING_STATE_H_
#define SWITCHBOARD_SRC_ROUTING_STATE_H_

#include <algorithm>
#include <array>
#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/container/btree_set.h"
#include "absl/container/inlined_vector.h"
#include "huge_page_arena.h"
#include "prefetch.h"
#include "switchboard/agent.h"
#include "switchboard/capacity.h"
#include "switchboard/contact.h"
#include "switchboard/queue.h"
#include "switchboard/requirements.h"
#include "switchboard/skills.h"

namespace switchboard::detail {

// Engine time: microseconds on the host's clock (absl::ToUnixMicros of its absl::Time).
using Micros = int64_t;
using AgentIndex = uint32_t;
using QueueIndex = uint32_t;
using ContactSlot = uint32_t;
inline constexpr uint32_t kNoIndex = std::numeric_limits<uint32_t>::max();

// A vector of records in fixed chunks of 2^kChunkBits: indexing is a shift and a mask,
// growth never moves a record (references stay valid), and at most one chunk is slack. Given an
// arena, a large engine's chunks come from its huge-page blocks (huge_page_arena.h).
template <typename T, int kChunkBits = 8>
class ChunkedVector {
 public:
  explicit ChunkedVector(HugePageArena* arena = nullptr) : arena_(arena) {}
  ChunkedVector(const ChunkedVector&) = delete;
  ChunkedVector& operator=(const ChunkedVector&) = delete;
  ~ChunkedVector() {
    for (T* chunk : in_arena_) std::destroy_n(chunk, kChunkSize);
  }

  T& operator[](size_t i) { return chunks_[i >> kChunkBits][i & kMask]; }
  const T& operator[](size_t i) const { return chunks_[i >> kChunkBits][i & kMask]; }
  size_t size() const { return size_; }
  T& emplace_back() {
    if ((size_ & kMask) == 0) AddChunk();
    return (*this)[size_++];
  }

 private:
  static constexpr size_t kChunkSize = size_t{1} << kChunkBits;
  static constexpr size_t kMask = kChunkSize - 1;
  static_assert(alignof(T) <= 64, "arena chunks are aligned to 64 bytes");

  void AddChunk() {
    constexpr size_t kBytes = (sizeof(T) * kChunkSize + 63) / 64 * 64;
    void* memory = arena_ != nullptr ? arena_->Allocate(kBytes) : nullptr;
    if (memory == nullptr) {
      on_heap_.push_back(std::make_unique<T[]>(kChunkSize));
      chunks_.push_back(on_heap_.back().get());
      return;
    }
    T* chunk = static_cast<T*>(memory);
    std::uninitialized_value_construct_n(chunk, kChunkSize);
    in_arena_.push_back(chunk);
    chunks_.push_back(chunk);
  }

  HugePageArena* arena_;
  std::vector<T*> chunks_;  // in index order, wherever they live
  std::vector<std::unique_ptr<T[]>> on_heap_;
  std::vector<T*> in_arena_;  // the arena frees the memory; the records are destroyed here
  size_t size_ = 0;
};

// Order of waiting contacts in a queue: strict class first (higher first), then virtual
// arrival (arrival - priority × aging unit; earlier first), then entry order. 24 bytes: the
// entry order is kept modulo 2^32, which only matters between contacts with the same class and
// the same virtual arrival to the microsecond, entered 4 billion contacts apart; the slot (unique
// among live contacts) keeps even those keys distinct.
struct WaitKey {
  Micros virtual_arrival = 0;
  uint32_t sequence = 0;
  ContactSlot slot = kNoIndex;
  uint8_t inverted_class = 255;  // 255 - priority class, so that ascending order serves high first
  // The contact had RONA cool-downs when it entered the set: only then may an agent need to
  // look at the contact itself before taking it (the flag may outlive the cool-downs).
  bool may_cool_down = false;
  bool departed = false;  // WaitingSet's mark of a key that left from behind its lane's front

  friend bool operator<(const WaitKey& a, const WaitKey& b) {
    if (a.inverted_class != b.inverted_class) return a.inverted_class < b.inverted_class;
    if (a.virtual_arrival != b.virtual_arrival) return a.virtual_arrival < b.virtual_arrival;
    if (a.sequence != b.sequence) return a.sequence < b.sequence;
    return a.slot < b.slot;
  }
};

// Equal in WaitKey's order (WaitingSet's departed mark aside).
inline bool SameKey(const WaitKey& a, const WaitKey& b) { return !(a < b) && !(b < a); }

// The contacts held for one agent as their preferred agent (few; a queue's waiting contacts are
// in a WaitingSet, waiting_set.h).
using PreferredWaiting = absl::btree_set<WaitKey>;

// Erases `key`, which must be present. Most keys leave from the head (the most urgent contact
// goes first), so that case skips the search: begin() is O(1) in absl's B-tree.
// Otherwise find and erase-at (erase-by-key goes through equal_range, which costs more).
inline void EraseKey(PreferredWaiting& set, const WaitKey& key) {
  auto head = set.begin();
  if (SameKey(*head, key)) {
    set.erase(head);
  } else {
    set.erase(set.find(key));
  }
}

// A queue an agent serves, with the agent's preference for it.
struct ServedQueue {
  Micros delay = 0;  // minimum effective wait of contacts the agent takes from it
  QueueIndex queue = kNoIndex;
  int priority = 0;     // the agent's priority for the queue
  int skill_score = 0;  // Requirement::Score of the agent on the queue (most_skilled)
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
  bool answered = false;
  bool in_use = false;
  bool queued = false;  // in a waiting set (its queue's or its preferred agent's)
  // ---- Second line.
  Micros arrival = 0;
  Micros virtual_arrival = 0;
  Micros answered_at = 0;  // valid once `answered`
  Micros preferred_until = 0;
  uint64_t offer_token = 0;
  std::unique_ptr<Cooldowns> cooldowns;  // null when it has none (most contacts)
  // The host's attributes; null when it gave none (most contacts), to keep contacts small.
  std::unique_ptr<Attributes> attributes;
  int priority = 0;

  bool HasCooldowns() const { return cooldowns && !cooldowns->empty(); }

  WaitKey wait_key(ContactSlot slot) const {
    return {virtual_arrival, static_cast<uint32_t>(sequence), slot,
            static_cast<uint8_t>(255 - priority_class), HasCooldowns()};
  }
};

}  // namespace switchboard::detail

#endif  // SWITCHBOARD_SRC_ROUTING_STATE_H_
