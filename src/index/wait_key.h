// The order of waiting contacts (WaitKey) and the small sorted set of them kept per agent.
#ifndef SWITCHBOARD_SRC_INDEX_WAIT_KEY_H_
#define SWITCHBOARD_SRC_INDEX_WAIT_KEY_H_

#include <cstdint>

#include "absl/container/btree_set.h"
#include "base/ids.h"

namespace switchboard::detail {

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

}  // namespace switchboard::detail

#endif  // SWITCHBOARD_SRC_INDEX_WAIT_KEY_H_
