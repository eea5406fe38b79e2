// Who may do what: the tokens that authenticate a daemon connection, the role each actor has, and
// the rule that decides whether a principal may issue a command.
//
// Roles, from least to most trusted:
//  - agent (actor "agent:ID"): its own state and its own contacts only (login, logout, ready,
//    not ready, wrap-up, accept, reject, hold, resume, complete, transfers, consults, and
//    report_callback for a callback it dials);
//  - supervisor ("supervisor:ID", with teams): the agent-state commands for agents of its teams
//    (login, logout, ready, not ready, end and extend wrap-up), assign_contact to an agent of
//    its teams, and the contact commands of supervision (move_contact, set_contact_priority,
//    remove_contact);
//  - host ("host:ID", the PBX or CRM integration): every command but configuration;
//  - administrator (a "host:ID" actor given role "administrator"): everything, configuration too
//    (add/update/remove queue and agent, set_entry_rules).
// Everyone may advance time (`advance`): every command moves time anyway.
//
// Tokens file: one credential per line, `TOKEN ACTOR [role=administrator] [teams=T1,T2]`;
// blank lines and lines starting with '#' are ignored:
//   # token                          actor           options
//   7c1f0e9a3b5d4c2e8f6a1b0c9d7e5f3a agent:alice
//   0b8e2d4f6a1c3e5b7d9f2a4c6e8b0d1f supervisor:sam  teams=blue,green
//   5e3c1a9f7d5b3e1c9a7f5d3b1e9c7a5f host:ops        role=administrator
// A token is 16 to 256 printable bytes, unique in the file; teams only for supervisors; role
// only for host actors ("host", the default, or "administrator").
#ifndef SWITCHBOARD_SRC_HOST_ACCESS_POLICY_H_
#define SWITCHBOARD_SRC_HOST_ACCESS_POLICY_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "switchboard/actor.h"
#include "switchboard/commands.h"
#include "switchboard/engine.h"

namespace switchboard::host {

enum class Role : uint8_t { kAgent, kSupervisor, kHost, kAdministrator };

// "agent", "supervisor", "host", "administrator".
std::string_view RoleName(Role role);

// An authenticated actor and what it may do.
struct Principal {
  Actor actor;
  Role role = Role::kAgent;
  std::vector<std::string> teams;  // a supervisor's teams (sorted); empty otherwise
};

// The administrator that a process's own standard input acts as: whoever started the daemon.
Principal LocalAdministrator();

class AccessPolicy {
 public:
  // A policy without tokens: nobody can authenticate over a socket.
  AccessPolicy() = default;

  // Parses a tokens file's text; `name` prefixes errors ("tokens.txt: line 3: ..."):
  // InvalidArgument for a line without an actor, a short, long or repeated token, an actor that
  // is not "agent:ID", "supervisor:ID" or "host:ID", an unknown option, teams on a
  // non-supervisor, or a role other than "administrator"/"host" on a host actor.
  static absl::StatusOr<AccessPolicy> Parse(std::string_view text, std::string_view name);
  // Reads and parses the file at `path` (NotFound / PermissionDenied when it cannot be read).
  static absl::StatusOr<AccessPolicy> Load(const std::string& path);

  // The principal a token names, or nullopt. Compares in time independent of where a wrong
  // token first differs.
  std::optional<Principal> Authenticate(std::string_view token) const;

  // The principal a trusted host names by its actor: an agent; a supervisor with the teams a
  // token of that supervisor lists (none otherwise); a host actor as a host; the host itself
  // (no id) and the system as the administrator.
  Principal PrincipalFor(const Actor& actor) const;

  int64_t size() const { return static_cast<int64_t>(tokens_.size()); }

 private:
  std::vector<std::pair<std::string, Principal>> tokens_;
  std::map<std::string, std::vector<std::string>, std::less<>> supervisor_teams_;
};

// OK when `who` may issue `body` now, else PermissionDenied saying who may not do what, e.g.
//   "agent:mallory may not log in agent 'alice': an agent acts only on itself".
// Reads the engine for the facts a rule needs (an agent's team, a callback's dialling agent);
// changes nothing. An unknown agent or contact in a rule that needs it is refused the same way
// (the engine would report NotFound only to those allowed to ask).
absl::Status Authorize(const Principal& who, const CommandBody& body, const Engine& engine);

}  // namespace switchboard::host

#endif  // SWITCHBOARD_SRC_HOST_ACCESS_POLICY_H_
