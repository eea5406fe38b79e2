#include "host/daemon.h"

#include <exception>
#include <utility>

#include "fmt/format.h"
#include "host/command_json.h"
#include "host/result_json.h"
#include "base/status_macros.h"

namespace switchboard::host {
namespace {

using nlohmann::json;

// A request line longer than this is refused before it is parsed.
constexpr size_t kMaxLineBytes = 1 << 20;
// Arrays and objects nested deeper than this are refused before parsing (the parser and the
// value's destructor would otherwise spend stack on a hostile "[[[[...").
constexpr int kMaxNesting = 64;

std::string Dump(const json& value) {
  return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

// The deepest nesting of arrays and objects in `line`, outside strings.
int Nesting(std::string_view line) {
  int depth = 0;
  int deepest = 0;
  bool in_string = false;
  for (size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      deepest = std::max(deepest, ++depth);
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return deepest;
}

absl::StatusOr<json> ParseObject(std::string_view line) {
  if (line.size() > kMaxLineBytes) {
    return absl::InvalidArgumentError(
        fmt::format("request of {} bytes; at most {}", line.size(), kMaxLineBytes));
  }
  if (Nesting(line) > kMaxNesting) {
    return absl::InvalidArgumentError(
        fmt::format("request nested deeper than {} arrays or objects", kMaxNesting));
  }
  json value;
  try {
    value = json::parse(line);
  } catch (const json::exception& e) {
    std::string_view what = e.what();
    if (const size_t end = what.find("] "); end != std::string_view::npos) {
      what.remove_prefix(end + 2);  // "[json.exception.parse_error.101] "
    }
    return absl::InvalidArgumentError(fmt::format("not JSON: {}", what));
  }
  if (!value.is_object()) return absl::InvalidArgumentError("a request is a JSON object");
  return value;
}

// A request's fields, checked for shape.
struct Request {
  json id;  // echoed; null when absent
  std::string op;
  std::optional<json> at;
  json args = json::object();
  std::optional<std::string> actor;
  std::string token;
};

absl::StatusOr<Request> ReadRequest(const json& object) {
  Request request;
  for (const auto& [key, value] : object.items()) {
    if (key == "id") {
      if (!value.is_number_integer() && !value.is_string()) {
        return absl::InvalidArgumentError("'id' must be an integer or a string");
      }
      request.id = value;
    } else if (key == "op") {
      if (!value.is_string()) return absl::InvalidArgumentError("'op' must be a string");
      request.op = value.get<std::string>();
    } else if (key == "at") {
      request.at = value;
    } else if (key == "args") {
      if (!value.is_object()) return absl::InvalidArgumentError("'args' must be an object");
      request.args = value;
    } else if (key == "actor") {
      if (!value.is_string()) return absl::InvalidArgumentError("'actor' must be a string");
      request.actor = value.get<std::string>();
    } else if (key == "token") {
      if (!value.is_string()) return absl::InvalidArgumentError("'token' must be a string");
      request.token = value.get<std::string>();
    } else {
      return absl::InvalidArgumentError(fmt::format(
          "unknown key '{}'; a request has id, op, at, args, actor (and token for auth)", key));
    }
  }
  if (request.op.empty()) return absl::InvalidArgumentError("missing 'op'");
  return request;
}

std::string Reply(const json& id, const absl::Status& status, json result = nullptr,
                  std::string_view result_key = "result") {
  json reply = json::object();
  if (!id.is_null()) reply["id"] = id;
  reply["ok"] = status.ok();
  if (!status.ok()) reply["error"] = StatusToJson(status);
  if (!result.is_null()) reply[std::string(result_key)] = std::move(result);
  return Dump(reply);
}

std::string EventLine(const Event& event) {
  json line = json::object();
  line["event"] = EventToJson(event);
  return Dump(line);
}

absl::StatusOr<std::string> StringArg(const json& args, std::string_view op,
                                      std::string_view key) {
  auto it = args.find(std::string(key));
  if (it == args.end() || !it->is_string()) {
    return absl::InvalidArgumentError(
        fmt::format("args: '{}' needs '{}' (a string)", op, key));
  }
  return it->get<std::string>();
}

// The journal record of a command that reached the engine or that the policy refused.
json CommandRecord(absl::Time at, const Actor& actor, std::string_view op, const json& args) {
  json record = json::object();
  record["at"] = EncodeTime(at);
  record["actor"] = ActorName(actor);
  record["op"] = op;
  record["args"] = args;
  return record;
}

// A journaled command, read back.
struct Journaled {
  absl::Time at;
  Actor actor;
  std::string op;
  json args;
  std::string code;     // the result code, for an executed command
  bool refused = false;  // refused by the access policy: never executed
};

absl::StatusOr<Journaled> ReadRecord(std::string_view payload, size_t index) {
  const auto damaged = [&](std::string_view what) {
    return absl::DataLossError(fmt::format("journal record #{}: {}", index + 1, what));
  };
  absl::StatusOr<json> object = ParseObject(payload);
  if (!object.ok()) return damaged(detail::Message(object.status()));
  Journaled record;
  try {
    absl::StatusOr<absl::Time> at = DecodeTime(object->at("at"));
    if (!at.ok()) return damaged(detail::Message(at.status()));
    record.at = *at;
    absl::StatusOr<Actor> actor = DecodeActor(object->at("actor").get<std::string>());
    if (!actor.ok()) return damaged(detail::Message(actor.status()));
    record.actor = *actor;
    record.op = object->at("op").get<std::string>();
    record.args = object->at("args");
    if (auto it = object->find("refused"); it != object->end()) {
      record.refused = true;
    } else {
      record.code = object->at("code").get<std::string>();
    }
  } catch (const json::exception& e) {
    return damaged(fmt::format("missing or mistyped field ({})", e.what()));
  }
  return record;
}

std::string CodeName(const absl::Status& status) {
  return StatusToJson(status)["code"].get<std::string>();
}

// Replays `records` from index `first` on into `engine`, calling `visit(index, record, events)`
// after each.
template <typename Visit>
absl::Status Replay(Engine& engine, const std::vector<std::string>& records, size_t first,
                    Visit visit) {
  for (size_t i = first; i < records.size(); ++i) {
    absl::StatusOr<Journaled> record = ReadRecord(records[i], i);
    if (!record.ok()) return record.status();
    std::vector<Event> events;
    if (!record->refused) {
      absl::StatusOr<CommandBody> body = DecodeCommandBody(record->op, record->args);
      if (!body.ok()) {
        return absl::DataLossError(fmt::format("journal record #{}: {}", i + 1,
                                               detail::Message(body.status())));
      }
      const absl::Status status =
          engine.Execute(Command{.now = record->at, .actor = record->actor, .body = *body});
      events = engine.DrainEvents();
      if (CodeName(status) != record->code) {
        return absl::DataLossError(fmt::format(
            "journal record #{} ({}): replaying it gave {} where the journal says {}; the "
            "journal was not written by this engine with these options",
            i + 1, record->op, CodeName(status), record->code));
      }
    }
    visit(i, *record, events);
  }
  return absl::OkStatus();
}

}  // namespace

Daemon::Daemon(std::unique_ptr<SharedEngine> engine, JournalStorage* journal, AccessPolicy policy,
               std::function<absl::Time()> clock)
    : engine_(std::move(engine)),
      journal_(journal),
      policy_(std::move(policy)),
      clock_(std::move(clock)) {
  subscription_ =
      engine_->Subscribe([this](const Event& event) { pending_events_.push_back(event); });
}

Daemon::~Daemon() {
  if (subscription_ >= 0) engine_->Unsubscribe(subscription_);
}

absl::StatusOr<std::unique_ptr<Daemon>> Daemon::Recover(EngineOptions options,
                                                       JournalStorage* journal,
                                                       AccessPolicy policy,
                                                       std::function<absl::Time()> clock,
                                                       const std::vector<Snapshot>& snapshots) {
  absl::StatusOr<JournalContents> contents = journal->ReadAll();
  if (!contents.ok()) return contents.status();
  std::vector<std::string> records;
  records.reserve(contents->records.size());
  for (JournalRecord& record : contents->records) records.push_back(std::move(record.payload));

  RecoveryReport report;
  std::optional<Engine> engine;
  // The newest snapshot that loads, else the whole journal from an empty engine.
  for (const Snapshot& snapshot : snapshots) {
    if (snapshot.seq > records.size()) {
      report.skipped_snapshots.push_back(fmt::format(
          "snapshot at record {}: the journal holds only {} records", snapshot.seq,
          records.size()));
      continue;
    }
    absl::StatusOr<Engine> loaded = Engine::LoadState(snapshot.state);
    if (!loaded.ok()) {
      report.skipped_snapshots.push_back(fmt::format("snapshot at record {}: {}", snapshot.seq,
                                                     detail::Message(loaded.status())));
      continue;
    }
    engine = *std::move(loaded);
    report.snapshot_seq = snapshot.seq;
    break;
  }
  if (!engine.has_value()) {
    options.record_events = true;
    absl::StatusOr<Engine> fresh = Engine::Create(options);
    if (!fresh.ok()) return fresh.status();
    engine = *std::move(fresh);
  }
  SWITCHBOARD_RETURN_IF_ERROR(Replay(*engine, records, report.snapshot_seq,
                                     [&](size_t, const Journaled& record, const auto&) {
                                       if (record.refused) {
                                         ++report.refusals;
                                       } else {
                                         ++report.commands_replayed;
                                       }
                                     }));
  auto shared = std::make_unique<SharedEngine>(*std::move(engine), clock);
  std::unique_ptr<Daemon> daemon(
      new Daemon(std::move(shared), journal, std::move(policy), std::move(clock)));
  daemon->recovery_ = std::move(report);
  return daemon;
}

absl::StatusOr<Snapshot> Daemon::TakeSnapshot() const {
  Snapshot snapshot{.seq = journal_->last_seq()};
  snapshot.state = engine_->Read([](const Engine& e) { return e.DumpState(); });
  // Only a snapshot that loads back is worth keeping: LoadState checks it dumps back the same.
  absl::StatusOr<Engine> loaded = Engine::LoadState(snapshot.state);
  if (!loaded.ok()) return loaded.status();
  return snapshot;
}

Output Daemon::HandleLine(std::string_view line, Session& session) {
  Output out;
  absl::StatusOr<json> object = ParseObject(line);
  if (!object.ok()) {
    out.reply = Reply(nullptr, object.status());
    return out;
  }
  json id = nullptr;
  if (auto it = object->find("id"); it != object->end() &&
                                    (it->is_number_integer() || it->is_string())) {
    id = *it;
  }
  absl::StatusOr<Request> parsed = ReadRequest(*object);
  if (!parsed.ok()) {
    out.reply = Reply(id, parsed.status());
    return out;
  }
  Request& request = *parsed;
  const auto reply = [&](const absl::Status& status, json result = nullptr) {
    out.reply = Reply(id, status, std::move(result));
    return out;
  };

  if (request.op == "auth") {
    std::optional<Principal> principal = policy_.Authenticate(request.token);
    if (!principal.has_value()) {
      return reply(absl::UnauthenticatedError("unknown token"));
    }
    session.principal = std::move(principal);
    json result = json::object();
    result["actor"] = ActorName(session.principal->actor);
    result["role"] = RoleName(session.principal->role);
    return reply(absl::OkStatus(), std::move(result));
  }
  if (!session.principal.has_value()) {
    return reply(absl::UnauthenticatedError(
        "authenticate first: {\"op\": \"auth\", \"token\": \"...\"}"));
  }

  // The principal this request acts as: the connection's, or an actor the host names (which it
  // authenticated itself), never one with more rights than the connection's own.
  Principal principal = *session.principal;
  absl::Status impersonation;
  if (request.actor.has_value() && *request.actor != ActorName(principal.actor)) {
    absl::StatusOr<Actor> named = DecodeActor(*request.actor);
    if (!named.ok()) return reply(named.status());
    Principal as = policy_.PrincipalFor(*named);
    if (!session.trusted && (principal.role < Role::kHost || as.role > principal.role)) {
      impersonation = absl::PermissionDeniedError(fmt::format(
          "{} may not act as {}: {}", ActorName(principal.actor), *request.actor,
          principal.role < Role::kHost ? "only the host names another actor"
                                       : "not with more rights than its own"));
    } else {
      principal = std::move(as);
    }
  }
  // A command that impersonates is refused below and journaled as a refusal; anything else now.
  if (!impersonation.ok() && !DecodeCommandBody(request.op, request.args).ok()) {
    return reply(impersonation);
  }

  if (request.op == "subscribe") {
    if (principal.role == Role::kAgent) {
      return reply(absl::PermissionDeniedError(
          fmt::format("{} may not subscribe to every event: an agent sees its own",
                      ActorName(principal.actor))));
    }
    session.subscribed = true;
    return reply(absl::OkStatus());
  }
  if (std::optional<absl::StatusOr<json>> result = Query(request.op, request.args, principal);
      result.has_value()) {
    if (!result->ok()) return reply(result->status());
    return reply(absl::OkStatus(), **std::move(result));
  }

  // A command.
  if (!broken_.ok()) return reply(broken_);
  absl::StatusOr<CommandBody> body = DecodeCommandBody(request.op, request.args);
  if (!body.ok()) return reply(body.status());
  absl::Time at;
  if (request.at.has_value()) {
    absl::StatusOr<absl::Time> decoded = DecodeTime(*request.at);
    if (!decoded.ok()) return reply(decoded.status());
    at = *decoded;
  } else {
    at = std::max(clock_(), engine_->Read([](const Engine& e) { return e.now(); }));
  }
  json record = CommandRecord(at, principal.actor, request.op, request.args);
  const absl::Status allowed =
      !impersonation.ok()
          ? impersonation
          : engine_->Read([&](const Engine& e) { return Authorize(principal, *body, e); });
  absl::Status status;
  if (!allowed.ok()) {
    record["refused"] = CodeName(allowed);
    record["message"] = std::string(detail::Message(allowed));
    status = allowed;
  } else {
    pending_events_.clear();
    status = engine_->Execute(Command{.now = at, .actor = principal.actor, .body = *body});
    record["code"] = CodeName(status);
  }
  const absl::Status journaled = journal_->Append(Dump(record));
  if (!journaled.ok()) {
    // The engine moved on but the journal did not: recovery would lose this command, so the
    // daemon takes no more.
    broken_ = absl::DataLossError(fmt::format(
        "the journal failed ({}); the daemon accepts no more commands: restart it to recover",
        detail::Message(journaled)));
    return reply(broken_);
  }
  for (const Event& event : pending_events_) out.events.push_back(EventLine(event));
  pending_events_.clear();
  return reply(status);
}

std::optional<absl::StatusOr<json>> Daemon::Query(const std::string& op, const json& args,
                                                  const Principal& principal) {
  const auto needs = [&](std::string_view key) { return StringArg(args, op, key); };
  if (op == "dump") {
    if (principal.role != Role::kHost && principal.role != Role::kAdministrator) {
      return absl::PermissionDeniedError(fmt::format(
          "{} may not dump the state: only the host does that", ActorName(principal.actor)));
    }
    return engine_->Read([](const Engine& e) { return json::parse(e.DumpState()); });
  }
  if (op == "snapshot") {
    if (principal.role != Role::kHost && principal.role != Role::kAdministrator) {
      return absl::PermissionDeniedError(fmt::format(
          "{} may not take a snapshot: only the host does that", ActorName(principal.actor)));
    }
    if (!snapshot_writer_) {
      return absl::FailedPreconditionError("this daemon has nowhere to write snapshots");
    }
    absl::StatusOr<Snapshot> snapshot = TakeSnapshot();
    if (!snapshot.ok()) return snapshot.status();
    if (absl::Status written = snapshot_writer_(*snapshot); !written.ok()) return written;
    return json{{"seq", snapshot->seq}};
  }
  if (op == "list_queues") {
    return engine_->Read([](const Engine& e) { return json(e.ListQueues()); });
  }
  if (op == "list_agents") {
    return engine_->Read([](const Engine& e) { return json(e.ListAgents()); });
  }
  if (op == "now" || op == "next_deadline") {
    // NextDeadline drops stale timers: SharedEngine's, under the exclusive lock.
    const std::optional<absl::Time> t =
        op == "now" ? engine_->Read([](const Engine& e) { return e.now(); })
                    : engine_->NextDeadline();
    if (!t.has_value() || *t == absl::InfinitePast()) return json(nullptr);
    return json(EncodeTime(*t));
  }
  // Queries of one record, by id.
  using Lookup = absl::StatusOr<json> (*)(const Engine&, const std::string&);
  struct ByID {
    std::string_view op;
    std::string_view key;
    Lookup lookup;
  };
  static constexpr ByID kById[] = {
      {"queue_stats", "queue",
       [](const Engine& e, const std::string& id) -> absl::StatusOr<json> {
         auto r = e.GetQueueStats(id);
         if (!r.ok()) return r.status();
         return QueueStatsToJson(*r);
       }},
      {"agent_stats", "agent",
       [](const Engine& e, const std::string& id) -> absl::StatusOr<json> {
         auto r = e.GetAgentStats(id);
         if (!r.ok()) return r.status();
         return AgentStatsToJson(*r);
       }},
      {"contact", "contact",
       [](const Engine& e, const std::string& id) -> absl::StatusOr<json> {
         auto r = e.GetContact(id);
         if (!r.ok()) return r.status();
         return ContactInfoToJson(*r);
       }},
      {"agent_contacts", "agent",
       [](const Engine& e, const std::string& id) -> absl::StatusOr<json> {
         auto r = e.GetAgentContacts(id);
         if (!r.ok()) return r.status();
         json list = json::array();
         for (const ContactInfo& c : *r) list.push_back(ContactInfoToJson(c));
         return list;
       }},
      {"agent_queues", "agent",
       [](const Engine& e, const std::string& id) -> absl::StatusOr<json> {
         auto r = e.GetAgentQueues(id);
         if (!r.ok()) return r.status();
         return json(*r);
       }},
      {"queue_contacts", "queue",
       [](const Engine& e, const std::string& id) -> absl::StatusOr<json> {
         auto r = e.GetQueueContacts(id);
         if (!r.ok()) return r.status();
         json list = json::array();
         for (const ContactInfo& c : *r) list.push_back(ContactInfoToJson(c));
         return list;
       }},
      {"explain", "contact",
       [](const Engine& e, const std::string& id) -> absl::StatusOr<json> {
         auto r = e.Explain(id);
         if (!r.ok()) return r.status();
         return ExplanationToJson(*r);
       }},
      {"explain_offer", "contact",
       [](const Engine& e, const std::string& id) -> absl::StatusOr<json> {
         auto r = e.ExplainOffer(id);
         if (!r.ok()) return r.status();
         return OfferExplanationToJson(*r);
       }},
  };
  for (const ByID& query : kById) {
    if (op != query.op) continue;
    absl::StatusOr<std::string> id = needs(query.key);
    if (!id.ok()) return id.status();
    return engine_->Read([&](const Engine& e) { return query.lookup(e, *id); });
  }
  if (op == "interval_stats") {
    absl::StatusOr<std::string> scope = needs("scope");
    if (!scope.ok()) return scope.status();
    absl::StatusOr<std::string> id = needs("id");
    if (!id.ok()) return id.status();
    StatsScope stats_scope;
    if (*scope == "queue") {
      stats_scope = StatsScope::kQueue;
    } else if (*scope == "agent") {
      stats_scope = StatsScope::kAgent;
    } else if (*scope == "team") {
      stats_scope = StatsScope::kTeam;
    } else {
      return absl::InvalidArgumentError(
          fmt::format("args.scope: '{}'; expected queue, agent or team", *scope));
    }
    return engine_->Read([&](const Engine& e) -> absl::StatusOr<json> {
      auto r = e.GetIntervalStats(stats_scope, *id);
      if (!r.ok()) return r.status();
      return IntervalStatsToJson(*r);
    });
  }
  return std::nullopt;
}

namespace {

bool Names(const json& args, std::string_view key, const std::string& id) {
  auto it = args.find(std::string(key));
  return it != args.end() && it->is_string() && it->get<std::string>() == id;
}

// Whether a journaled command is about `agent`: it names it as its agent or transfer target,
// or it adds, changes or removes it (whose args call it "id").
bool ConcernsAgent(const Journaled& record, const std::string& agent) {
  const bool by_id =
      record.op == "add_agent" || record.op == "update_agent" || record.op == "remove_agent";
  return Names(record.args, "agent", agent) || Names(record.args, "to_agent", agent) ||
         (by_id && Names(record.args, "id", agent));
}

bool ConcernsContact(const Journaled& record, const std::string& contact) {
  return Names(record.args, "contact", contact) ||
         (record.op == "add_contact" && Names(record.args, "id", contact));
}

bool InWindow(absl::Time t, const AuditFilter& filter) {
  if (filter.since.has_value() && t < *filter.since) return false;
  if (filter.until.has_value() && t >= *filter.until) return false;
  return true;
}

}  // namespace

absl::Status ExportAudit(EngineOptions options, const std::vector<std::string>& records,
                         const AuditFilter& filter, std::ostream& out) {
  options.record_events = filter.events;
  absl::StatusOr<Engine> engine = Engine::Create(options);
  if (!engine.ok()) return engine.status();
  return Replay(*engine, records, 0, [&](size_t index, const Journaled& record,
                                      const std::vector<Event>& events) {
    const bool record_matches =
        InWindow(record.at, filter) &&
        (filter.actor.empty() || ActorName(record.actor) == filter.actor) &&
        (filter.agent.empty() || ConcernsAgent(record, filter.agent) ||
         ActorName(record.actor) == "agent:" + filter.agent) &&
        (filter.contact.empty() || ConcernsContact(record, filter.contact));
    if (record_matches) {
      json line = json::object();
      json body = json::parse(records[index]);
      body["seq"] = index + 1;
      line["record"] = std::move(body);
      out << Dump(line) << "\n";
    }
    for (const Event& event : events) {
      const bool matches = InWindow(event.time, filter) &&
                           (filter.actor.empty() || ActorName(event.actor) == filter.actor) &&
                           (filter.agent.empty() || event.agent_id == filter.agent) &&
                           (filter.contact.empty() || event.contact_id == filter.contact);
      if (matches) out << EventLine(event) << "\n";
    }
  });
}

}  // namespace switchboard::host
