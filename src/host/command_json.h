// The host daemon's command codec: the JSON form of a command body, and of the times,
// durations and actors around it.
//
// A command on the wire is an op and an args object: op = CommandName(body) (commands.h), and
// args holds the command's fields under the names of the Python bindings' keyword arguments
// (bindings/switchboard/_core.pyi) with the same value shapes:
//   {"op": "add_queue", "args": {"id": "support", "requirement": "support >= 3",
//     "strategy": "most_skilled", "wrap_up": {"mode": "timed", "duration": "30s"},
//     "overflow": [{"when": "wait", "wait": 120, "action": "callback", "ask": true}],
//     "hours": {"mon-fri": ["09:00-12:00", "13:00-18:00"]}, "zone": "Europe/Paris"}}
//   {"op": "add_agent", "args": {"id": "a1", "skills": {"support": 5},
//     "capacity": {"voice": 1, "chat": 2}, "queues": ["support", {"queue": "vip", "delay": 20}]}}
//   {"op": "login", "args": {"agent": "a1", "ready": true}}
// Ids of the object a command creates or names alone are "id" (add_queue, update_queue,
// add_agent, update_agent, remove_agent, add_contact, remove_queue), as in Python; the others
// use the struct's names ("agent", "contact", "queue", "to_agent", ...). Channels, strategies,
// triggers, actions, modes and callback results go by name. A time is Unix seconds or an RFC 3339
// string; a duration (where Python takes seconds) is a number of seconds or a duration string.
// A key whose value is null counts as absent. Neither "now" nor "actor" is an args key: the
// daemon's line carries them around the body.
//
// Differences from the Python bindings: a key that does not apply to an overflow rule's trigger,
// action or callback mode is accepted (the engine ignores it) rather than refused, so that every
// body encodes and decodes exactly; and cost_total without cost is refused rather than ignored.
//
// Errors are InvalidArgument naming the path of the first bad value and what was wrong:
//   unknown op 'fly'
//   args: unknown key 'cuont' for add_agent; expected one of id, skills, ...
//   args: missing 'agent' for login
//   args.overflow[1].wait: expected a duration (seconds or "30s"), got "abc"
//   args.priority: expected an integer from -2147483648 to 2147483647, got 3000000000
//   args.strategy: unknown strategy 'fastest'; expected one of longest_idle, most_skilled, ...
// The codec checks shapes, types and names only; the engine checks values (ranges, ids, a
// requirement's syntax) when the command runs. No function here throws.
//
// Thread-safety: all functions are pure and may be called from any thread.
#ifndef SWITCHBOARD_SRC_HOST_COMMAND_JSON_H_
#define SWITCHBOARD_SRC_HOST_COMMAND_JSON_H_

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "switchboard/actor.h"
#include "switchboard/commands.h"

namespace switchboard::host {

// The body of command `op` from its `args` object. InvalidArgument for an unknown op, an args
// that is not an object, an unknown or missing key, or a value of the wrong shape or type (an
// int that is not an integral number within int's range, say) or an unknown name.
absl::StatusOr<CommandBody> DecodeCommandBody(std::string_view op, const nlohmann::json& args);

// The args object of `body` (its op is CommandName(body)): the keys DecodeCommandBody reads,
// leaving out optional ones at their default. DecodeCommandBody(CommandName(body), result) gives
// `body` back exactly, but for what has no key and no effect: a capacity's cost and total in the
// limits model, bits of capacity blocks above the last channel, and the order of a queue's dated
// hours (written as an object keyed by date). Text is copied as it is: a string that is not UTF-8
// makes nlohmann::json's dump() throw unless it is given an error handler.
nlohmann::json EncodeCommandBody(const CommandBody& body);

// A time from Unix seconds (a number; rounded to the microsecond, the engine's resolution, as the
// Python bindings do) or an RFC 3339 string ("2026-01-05T09:00:00Z",
// "2026-01-05T10:00:00.123456789+01:00"; exact, to absl::Time's quarter nanosecond), or
// "infinite-future" / "infinite-past". InvalidArgument otherwise.
absl::StatusOr<absl::Time> DecodeTime(const nlohmann::json& value);
// RFC 3339 in UTC with every fractional digit needed ("2026-01-05T09:00:00.25+00:00"); DecodeTime
// gives `t` back exactly, infinite times included.
std::string EncodeTime(absl::Time t);

// A duration from seconds (a number; rounded to the microsecond as the Python bindings do) or
// a string absl::ParseDuration accepts ("1.5s", "2m30s", "250ns", "inf"; exact).
// InvalidArgument otherwise.
absl::StatusOr<absl::Duration> DecodeDuration(const nlohmann::json& value);
// absl::FormatDuration ("1m30s", "250ns", "0"); DecodeDuration gives `d` back exactly.
std::string EncodeDuration(absl::Duration d);

// The inverse of ActorName: "host", "system", "agent:ID", "supervisor:ID" and "host:ID".
// InvalidArgument for anything else (the engine checks the id itself).
absl::StatusOr<Actor> DecodeActor(std::string_view text);

}  // namespace switchboard::host

#endif  // SWITCHBOARD_SRC_HOST_COMMAND_JSON_H_
