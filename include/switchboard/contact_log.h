// A contact log: one record per contact of a day, as the simulator writes it
// (RunOptions::record_contacts, `switchboard simulate --contacts FILE.csv`) and as
// `switchboard replay` reads it (replay.h). docs/planning.md ("Replaying a day") describes the
// CSV format column by column.
//
// Example:
//   absl::StatusOr<std::vector<ContactRecord>> log = ParseContactLog(text, "monday.csv");
//   if (!log.ok()) return log.status();  // "monday.csv: line 7, column 'handle_s': ..."
#ifndef SWITCHBOARD_CONTACT_LOG_H_
#define SWITCHBOARD_CONTACT_LOG_H_

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "switchboard/attributes.h"
#include "switchboard/channel.h"

namespace switchboard {

// How a logged contact ended.
enum class LoggedOutcome : uint8_t {
  kAnswered,        // an agent answered (a callback that connected included)
  kAbandoned,       // the customer gave up waiting
  kDeflected,       // an overflow or entry rule sent the customer to self-service
  kVoicemail,       // an overflow rule took the customer to voicemail
  kDisconnected,    // an overflow rule ended the contact
  kCallbackFailed,  // an accepted callback whose every dial attempt failed
  kWaiting,         // still waiting when the run ended (no agent left for it)
  kSkipped,         // replay only: a redial of a customer the replay had already served
};

// "answered", "abandoned", "deflected", "voicemail", "disconnected", "callback_failed",
// "waiting", "skipped".
std::string_view LoggedOutcomeName(LoggedOutcome outcome);
// Inverse of LoggedOutcomeName; nullopt for an unknown name.
std::optional<LoggedOutcome> ParseLoggedOutcome(std::string_view name);

// One contact. Times are seconds since the start of the day (the simulation's start, warm-up
// included; the scenario's `start`).
struct ContactRecord {
  // The customer, the same on each of their calls (redials).
  uint64_t customer = 0;
  // Whether this is not the customer's first call.
  bool redial = false;
  // When the contact arrived, >= 0.
  double arrival_s = 0;
  // The queue it entered; empty: the scenario's entry rules place it by its attributes.
  std::string queue;
  Attributes attributes;
  Channel channel = Channel::kVoice;
  // Contact priority (ContactConfig::priority); default 0.
  int priority = 0;
  // Talk time, seconds, >= 0 (wrap-up is the scenario's). NaN: unknown (a row that was not
  // answered may leave it empty; a replay draws it from the scenario's handle distribution).
  double handle_s = 0;
  LoggedOutcome outcome = LoggedOutcome::kWaiting;
  // Seconds on the line from arrival: until answered (answered), until giving up (abandoned),
  // until accepting a callback (a callback's customer leaves the line then), until the outcome
  // (others); >= 0. The patience fit's observation.
  double wait_s = 0;
  // Answered contacts: seconds from arrival to the answer (a callback: to the connection, the
  // wait the KPIs count: ASA, service level); nullopt: wait_s (it differs only for callbacks).
  std::optional<double> answered_s;
  // Seconds from arrival the contact counted as waiting in its queue (the mean queue length's
  // integral): wait_s, except a keep-place callback (until the agent first dialed it) and a
  // contact still waiting when the run ended (until the end of the measured period); nullopt:
  // wait_s.
  std::optional<double> queued_s;
  // The line of the log file the record was read from (ParseContactLog; the header is line
  // 1); 0: not read from a file (error messages then name line row + 2, the line the record
  // has in the CSV ContactLogToCsv writes).
  int line = 0;
};

// The CSV header the simulator writes (every column; ParseContactLog accepts any order and
// leaves out optional ones).
inline constexpr std::string_view kContactLogHeader =
    "customer,redial,arrival_s,queue,attributes,channel,priority,handle_s,outcome,wait_s,"
    "abandon_s,answered_s,queued_s";

// The records as CSV: kContactLogHeader, then one row per record. `abandon_s` (the time of
// abandonment, arrival_s + wait_s) is written for abandoned contacts only; attributes as
// `key=value` pairs joined by ';'. `answered_s` and `queued_s` are written only where they
// differ from wait_s (callbacks, contacts left waiting).
std::string ContactLogToCsv(std::span<const ContactRecord> records);

// Parses a contact log. Columns by header name: `arrival_s`, `handle_s` (empty: NaN, allowed
// on rows not answered) and `outcome` are required, with `queue` or `attributes` (or both); `customer` (default: a new customer per
// row), `redial` (0/1, default 0), `channel` (default voice), `priority` (default 0),
// `wait_s` (required for answered rows), `abandon_s` (for abandoned rows, `abandon_s` or
// `wait_s`), `answered_s` and `queued_s` (default: the row's wait_s) are optional. Rows must come in order of arrival; a customer's first row has
// redial 0 and each later one redial 1. Times (every column in seconds) are at most 360,000,000
// seconds (kMaxDuration, 100,000 hours); a priority is within ±kMaxPriority; a queue, attribute
// names and values are UTF-8 text within kMaxIdBytes, kMaxNameBytes and kMaxTextBytes, at most
// kMaxEntries attributes a row. InvalidArgument
// "<file>: line N, column '<name>': <what was expected>" for the first malformed row or header.
absl::StatusOr<std::vector<ContactRecord>> ParseContactLog(std::string_view text,
                                                           std::string_view file_name);

}  // namespace switchboard

#endif  // SWITCHBOARD_CONTACT_LOG_H_
