// The names of contact outcomes and states (contact.h).
#include "switchboard/contact.h"

#include <string_view>

namespace switchboard {

std::string_view ContactOutcomeName(ContactOutcome outcome) {
  switch (outcome) {
    case ContactOutcome::kNone:
      return "none";
    case ContactOutcome::kCompleted:
      return "completed";
    case ContactOutcome::kAbandoned:
      return "abandoned";
    case ContactOutcome::kRemoved:
      return "removed";
    case ContactOutcome::kRejected:
      return "rejected";
    case ContactOutcome::kDeflected:
      return "deflected";
    case ContactOutcome::kVoicemail:
      return "voicemail";
    case ContactOutcome::kDisconnected:
      return "disconnected";
    case ContactOutcome::kCallbackFailed:
      return "callback_failed";
  }
  return "?";
}

std::string_view ContactStateName(ContactState state) {
  switch (state) {
    case ContactState::kWaiting:
      return "waiting";
    case ContactState::kOffered:
      return "offered";
    case ContactState::kConnected:
      return "connected";
    case ContactState::kOnHold:
      return "on_hold";
    case ContactState::kWrapUp:
      return "wrap_up";
    case ContactState::kDialing:
      return "dialing";
  }
  return "?";
}

}  // namespace switchboard
