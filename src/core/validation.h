// Checks of a command's input that several handlers share: ids, text, attributes, actors and
// durations, each refused with InvalidArgument naming what was wrong (limits.h has the limits).
// The options and configuration structs are checked by their own functions (ValidateOptions).
#ifndef SWITCHBOARD_SRC_CORE_VALIDATION_H_
#define SWITCHBOARD_SRC_CORE_VALIDATION_H_

#include <string_view>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "switchboard/actor.h"
#include "switchboard/attributes.h"
#include "switchboard/limits.h"

namespace switchboard::detail {

// A duration >= 0 / of at least one microsecond, and at most kMaxDuration.
absl::Status CheckNonNegative(std::string_view what, absl::Duration value);
absl::Status CheckPositive(std::string_view what, absl::Duration value);

// The refusal of an id that CheckId does not accept: empty, too long or not UTF-8.
absl::Status RefuseId(std::string_view what, std::string_view id);

// Non-empty, valid UTF-8 and at most kMaxIdBytes; the common case costs one pass over the id.
inline absl::Status CheckId(std::string_view what, std::string_view id) {
  if (!id.empty() && id.size() <= kMaxIdBytes && IsValidUtf8(id)) [[likely]] {
    return absl::OkStatus();
  }
  return RefuseId(what, id);
}

// The refusal for an id that names nothing: NotFound, or InvalidArgument when the id could not
// name anything (then the message does not repeat its bytes).
absl::Status UnknownId(std::string_view what, std::string_view id, std::string_view suffix = {});

// An actor of a known kind whose id is text within kMaxIdBytes.
absl::Status CheckActor(const Actor& actor);

// A reason (not ready, remove): text within kMaxTextBytes.
absl::Status CheckReason(std::string_view reason);

// Attribute names and string values as text within their limits, numbers finite, at most
// kMaxEntries of them. `owner` ("agent 'a1'") starts the message.
absl::Status CheckAttributes(std::string_view owner, const Attributes& attributes);

}  // namespace switchboard::detail

#endif  // SWITCHBOARD_SRC_CORE_VALIDATION_H_
