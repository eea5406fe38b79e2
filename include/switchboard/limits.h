// Limits on what a host, a scenario file or a Python caller may give the engine and the
// simulator: the one place that defines them, so that the C++ API, Python, the command line and
// scenario files refuse the same inputs with the same messages. docs/limits.md lists each with
// its reason and how to raise the ones that can be raised.
#ifndef SWITCHBOARD_LIMITS_H_
#define SWITCHBOARD_LIMITS_H_

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "absl/status/status.h"
#include "absl/time/time.h"

namespace switchboard {

// Text: every string the engine keeps or matches (ids, actors, reasons, names, attribute keys
// and values, requirement expressions) must be valid UTF-8 and no longer than its limit, in
// bytes.
inline constexpr size_t kMaxIdBytes = 256;             // ids of agents, queues, contacts, actors
inline constexpr size_t kMaxNameBytes = 256;           // skill, group and attribute names
inline constexpr size_t kMaxTextBytes = 4096;          // reasons, attribute string values
inline constexpr size_t kMaxRequirementBytes = 65536;  // a requirement expression
// A simulated agent group's name, which names its agents "<name>-<n>" (ids of kMaxIdBytes).
inline constexpr size_t kMaxAgentGroupNameBytes = 200;
// Attributes on one agent or contact, groups of one agent, queues one agent lists.
inline constexpr size_t kMaxEntries = 4096;
// Nesting of input that could otherwise make a parser recurse: parentheses in a requirement,
// dicts and lists in a Python scenario dict. Deeper input is refused before descending.
inline constexpr int kMaxNestingDepth = 64;

// Durations anywhere (timeouts, delays, wrap-up, a simulation's length): 0 to 100,000 hours
// (about 11 years), so that sums of times and durations never overflow.
inline constexpr absl::Duration kMaxDuration = absl::Hours(100000);

// A contact's priority (each point one aging unit of extra waiting) and strict priority class.
inline constexpr int kMaxPriority = 1000;  // -kMaxPriority..kMaxPriority
inline constexpr int kMaxPriorityClass = 255;  // 0..kMaxPriorityClass

// Times the engine accepts (command times, arrivals): years 0001 to 9999 UTC, so that any
// difference of two times and any time plus a duration fits in 64-bit microseconds.
inline constexpr absl::Time kMinTime = absl::FromUnixSeconds(-62135596800);  // 0001-01-01
inline constexpr absl::Time kMaxTime = absl::FromUnixSeconds(253402300799);  // 9999-12-31

// Simulation work. These are defaults of SimulationLimits (sim.h), which a caller may raise.
inline constexpr int kDefaultMaxReplications = 100'000;
inline constexpr int64_t kDefaultMaxAgents = 100'000;  // all groups together
// Expected contacts (arrival rates integrated over warm-up and duration) of one replication,
// and of all replications together.
inline constexpr double kDefaultMaxContactsPerReplication = 10e6;
inline constexpr double kDefaultMaxContacts = 200e6;
// Threads a simulation may ask for; more are refused, fewer than asked may start when the
// system refuses to create them (the run then uses those it has).
inline constexpr int kMaxThreads = 1024;

// Agents and contacts a host may ask the engine to size its id tables for at once
// (EngineOptions::expected_agents and expected_contacts): up to ~27 bytes each, reserved.
inline constexpr int64_t kMaxExpectedEntries = 10'000'000;

// Requirement steps of one queue (QueueConfig::steps).
inline constexpr size_t kMaxRequirementSteps = 16;

// Overflow rules of one queue (QueueConfig::overflow), dial attempts after the first of one
// callback (CallbackPolicy::retries), and transfers of one contact by overflow rules
// (EngineOptions::max_transfers).
inline constexpr size_t kMaxOverflowRules = 16;
inline constexpr int kMaxCallbackRetries = 10;
inline constexpr int kMaxTransfers = 100;
// QueueConfig::ring_agents: agents one contact may ring at at once.
inline constexpr int kMaxRingAgents = 8;

// Entry rules of an engine (SetEntryRules).
inline constexpr size_t kMaxEntryRules = 4096;

// Events the engine buffers for DrainEvents by default (EngineOptions::max_buffered_events).
inline constexpr int64_t kDefaultMaxBufferedEvents = 100'000;

// InvalidArgument "<what> is not valid UTF-8" or "<what> is N bytes; expected at most M".
absl::Status CheckText(std::string_view what, std::string_view text, size_t max_bytes);

// Whether `text` is well-formed UTF-8 (no overlong forms, surrogates or code points past
// U+10FFFF).
bool IsValidUtf8(std::string_view text);

// InvalidArgument naming `what` unless kMinTime <= time <= kMaxTime.
absl::Status CheckTime(std::string_view what, absl::Time time);

}  // namespace switchboard

#endif  // SWITCHBOARD_LIMITS_H_
