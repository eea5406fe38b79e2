#include "host/access_policy.h"

#include <algorithm>
#include <cerrno>
#include <fstream>
#include <sstream>
#include <type_traits>
#include <utility>
#include <variant>

#include "absl/strings/str_split.h"
#include "base/status_macros.h"
#include "fmt/format.h"
#include "host/command_json.h"

namespace switchboard::host {
namespace {

constexpr size_t kMinTokenBytes = 16;
constexpr size_t kMaxTokenBytes = 256;

absl::Status Denied(const Principal& who, std::string_view what, std::string_view why) {
  return absl::PermissionDeniedError(
      fmt::format("{} may not {}: {}", ActorName(who.actor), what, why));
}

bool Printable(std::string_view text) {
  return std::all_of(text.begin(), text.end(),
                     [](char c) { return c > ' ' && c != '\x7f'; });
}

// Compares without stopping at the first difference, so that the time taken does not tell an
// attacker how much of a guessed token was right.
bool SameToken(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  unsigned char difference = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    difference |= static_cast<unsigned char>(a[i] ^ b[i]);
  }
  return difference == 0;
}

std::string TeamsText(const std::vector<std::string>& teams) {
  if (teams.empty()) return "no team";
  return fmt::format("team(s) {}", fmt::join(teams, ", "));
}

// The team of `agent`, or nullopt when the engine does not know it.
std::optional<std::string> TeamOf(const Engine& engine, std::string_view agent) {
  absl::StatusOr<AgentStats> stats = engine.GetAgentStats(agent);
  if (!stats.ok()) return std::nullopt;
  return stats->team;
}

// An agent acts on itself; a supervisor on agents of its teams; hosts and administrators on any.
absl::Status MayActOnAgent(const Principal& who, const Engine& engine, std::string_view agent,
                           std::string_view what) {
  switch (who.role) {
    case Role::kHost:
    case Role::kAdministrator:
      return absl::OkStatus();
    case Role::kAgent:
      if (who.actor.id == agent) return absl::OkStatus();
      return Denied(who, fmt::format("{} for agent '{}'", what, agent),
                    "an agent acts only on itself");
    case Role::kSupervisor: {
      const std::optional<std::string> team = TeamOf(engine, agent);
      if (team.has_value() && !team->empty() &&
          std::binary_search(who.teams.begin(), who.teams.end(), *team)) {
        return absl::OkStatus();
      }
      return Denied(who, fmt::format("{} for agent '{}'", what, agent),
                    fmt::format("a supervisor acts only on agents of its {}",
                                TeamsText(who.teams)));
    }
  }
  return Denied(who, what, "unknown role");
}

// Commands an agent issues about its own work: the agent itself, or the host's integration.
absl::Status OwnWork(const Principal& who, std::string_view agent, std::string_view what) {
  if (who.role == Role::kHost || who.role == Role::kAdministrator) return absl::OkStatus();
  if (who.role == Role::kAgent && who.actor.id == agent) return absl::OkStatus();
  return Denied(who, fmt::format("{} for agent '{}'", what, agent),
                "only the agent itself or the host does that");
}

absl::Status HostOnly(const Principal& who, std::string_view what) {
  if (who.role == Role::kHost || who.role == Role::kAdministrator) return absl::OkStatus();
  return Denied(who, what, "only the host's integration does that");
}

absl::Status SupervisionOnly(const Principal& who, std::string_view what) {
  if (who.role != Role::kAgent) return absl::OkStatus();
  return Denied(who, what, "only a supervisor or the host does that");
}

absl::Status AdministratorOnly(const Principal& who, std::string_view what) {
  if (who.role == Role::kAdministrator) return absl::OkStatus();
  return Denied(who, what, "only an administrator changes the configuration");
}

}  // namespace

std::string_view RoleName(Role role) {
  switch (role) {
    case Role::kAgent:
      return "agent";
    case Role::kSupervisor:
      return "supervisor";
    case Role::kHost:
      return "host";
    case Role::kAdministrator:
      return "administrator";
  }
  return "unknown";
}

Principal LocalAdministrator() { return {.actor = Actor::Host(), .role = Role::kAdministrator}; }

absl::StatusOr<AccessPolicy> AccessPolicy::Parse(std::string_view text, std::string_view name) {
  AccessPolicy policy;
  int line_number = 0;
  for (absl::string_view raw : absl::StrSplit(detail::AbslView(text), '\n')) {
    ++line_number;
    std::string_view line(raw.data(), raw.size());
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    const auto error = [&](std::string_view what) {
      return absl::InvalidArgumentError(fmt::format("{}: line {}: {}", name, line_number, what));
    };
    std::vector<std::string_view> fields;
    for (absl::string_view field : absl::StrSplit(raw, absl::ByAnyChar(" \t\r"), absl::SkipEmpty())) {
      fields.emplace_back(field.data(), field.size());
    }
    if (fields.empty() || fields[0].front() == '#') continue;
    if (fields.size() < 2) return error("expected 'TOKEN ACTOR [role=...] [teams=...]'");
    const std::string_view token = fields[0];
    if (token.size() < kMinTokenBytes || token.size() > kMaxTokenBytes || !Printable(token)) {
      return error(fmt::format("a token is {} to {} printable bytes; this one has {}",
                               kMinTokenBytes, kMaxTokenBytes, token.size()));
    }
    for (const auto& [other, unused] : policy.tokens_) {
      if (other == token) return error("this token is given twice");
    }
    absl::StatusOr<Actor> actor = DecodeActor(fields[1]);
    if (!actor.ok() || actor->kind == Actor::Kind::kSystem || actor->id.empty()) {
      return error(fmt::format("actor '{}': expected agent:ID, supervisor:ID or host:ID",
                               fields[1]));
    }
    Principal principal{.actor = *actor};
    switch (actor->kind) {
      case Actor::Kind::kAgent:
        principal.role = Role::kAgent;
        break;
      case Actor::Kind::kSupervisor:
        principal.role = Role::kSupervisor;
        break;
      default:
        principal.role = Role::kHost;
        break;
    }
    for (size_t i = 2; i < fields.size(); ++i) {
      const std::string_view option = fields[i];
      if (option.substr(0, 6) == "teams=") {
        if (principal.role != Role::kSupervisor) return error("only a supervisor has teams");
        for (absl::string_view team : absl::StrSplit(detail::AbslView(option.substr(6)), ',',
                                                       absl::SkipEmpty())) {
          principal.teams.emplace_back(team);
        }
      } else if (option.substr(0, 5) == "role=") {
        if (actor->kind != Actor::Kind::kHost) return error("only a host actor takes a role");
        const std::string_view role = option.substr(5);
        if (role == "administrator") {
          principal.role = Role::kAdministrator;
        } else if (role != "host") {
          return error(fmt::format("role '{}': expected 'host' or 'administrator'", role));
        }
      } else {
        return error(fmt::format("unknown option '{}'; expected role=... or teams=...", option));
      }
    }
    std::sort(principal.teams.begin(), principal.teams.end());
    principal.teams.erase(std::unique(principal.teams.begin(), principal.teams.end()),
                          principal.teams.end());
    if (principal.role == Role::kSupervisor) {
      std::vector<std::string>& teams = policy.supervisor_teams_[principal.actor.id];
      teams.insert(teams.end(), principal.teams.begin(), principal.teams.end());
      std::sort(teams.begin(), teams.end());
      teams.erase(std::unique(teams.begin(), teams.end()), teams.end());
    }
    policy.tokens_.emplace_back(std::string(token), std::move(principal));
  }
  return policy;
}

absl::StatusOr<AccessPolicy> AccessPolicy::Load(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    return absl::ErrnoToStatus(errno, fmt::format("{}: cannot open the tokens file", path));
  }
  std::ostringstream text;
  text << file.rdbuf();
  return Parse(text.str(), path);
}

std::optional<Principal> AccessPolicy::Authenticate(std::string_view token) const {
  std::optional<Principal> found;
  for (const auto& [known, principal] : tokens_) {  // every entry, match or not
    if (SameToken(known, token) && !found.has_value()) found = principal;
  }
  return found;
}

Principal AccessPolicy::PrincipalFor(const Actor& actor) const {
  switch (actor.kind) {
    case Actor::Kind::kAgent:
      return {.actor = actor, .role = Role::kAgent};
    case Actor::Kind::kSupervisor: {
      Principal principal{.actor = actor, .role = Role::kSupervisor};
      if (auto it = supervisor_teams_.find(actor.id); it != supervisor_teams_.end()) {
        principal.teams = it->second;
      }
      return principal;
    }
    case Actor::Kind::kHost:
      if (!actor.id.empty()) return {.actor = actor, .role = Role::kHost};
      return LocalAdministrator();
    case Actor::Kind::kSystem:
      return {.actor = actor, .role = Role::kAdministrator};
  }
  return {.actor = actor, .role = Role::kAgent};
}

absl::Status Authorize(const Principal& who, const CommandBody& body, const Engine& engine) {
  return std::visit(
      [&](const auto& command) -> absl::Status {
        using T = std::decay_t<decltype(command)>;
        const std::string_view op = CommandName(body);
        if constexpr (std::is_same_v<T, AddQueue> || std::is_same_v<T, UpdateQueue> ||
                      std::is_same_v<T, RemoveQueue> || std::is_same_v<T, AddAgent> ||
                      std::is_same_v<T, UpdateAgent> || std::is_same_v<T, RemoveAgent> ||
                      std::is_same_v<T, SetEntryRules>) {
          return AdministratorOnly(who, op);
        } else if constexpr (std::is_same_v<T, Login> || std::is_same_v<T, Logout> ||
                             std::is_same_v<T, SetReady> || std::is_same_v<T, SetNotReady> ||
                             std::is_same_v<T, EndWrapUp> || std::is_same_v<T, ExtendWrapUp>) {
          return MayActOnAgent(who, engine, command.agent, op);
        } else if constexpr (std::is_same_v<T, AcceptOffer> || std::is_same_v<T, RejectOffer> ||
                             std::is_same_v<T, HoldContact> || std::is_same_v<T, ResumeContact> ||
                             std::is_same_v<T, CompleteContact> ||
                             std::is_same_v<T, TransferContact> ||
                             std::is_same_v<T, StartConsult> ||
                             std::is_same_v<T, CompleteConsult> ||
                             std::is_same_v<T, CancelConsult>) {
          return OwnWork(who, command.agent, op);
        } else if constexpr (std::is_same_v<T, AddContact> || std::is_same_v<T, AbandonContact> ||
                             std::is_same_v<T, AnswerOverflow>) {
          return HostOnly(who, op);
        } else if constexpr (std::is_same_v<T, ReportCallback>) {
          if (who.role == Role::kAgent) {
            absl::StatusOr<ContactInfo> contact = engine.GetContact(command.contact);
            if (contact.ok() && contact->agent == who.actor.id) return absl::OkStatus();
            return Denied(who, fmt::format("{} for contact '{}'", op, command.contact),
                          "an agent reports only the callbacks it dials");
          }
          return HostOnly(who, op);
        } else if constexpr (std::is_same_v<T, MoveContact> ||
                             std::is_same_v<T, SetContactPriority> ||
                             std::is_same_v<T, RemoveContact>) {
          return SupervisionOnly(who, op);
        } else if constexpr (std::is_same_v<T, AssignContact>) {
          if (who.role == Role::kAgent) return SupervisionOnly(who, op);
          return MayActOnAgent(who, engine, command.agent, op);
        } else {
          static_assert(std::is_same_v<T, Advance>, "every command needs a rule");
          return absl::OkStatus();
        }
      },
      body);
}

}  // namespace switchboard::host
