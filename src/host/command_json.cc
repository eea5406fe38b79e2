// The host daemon's command codec (command_json.h): one decoder per op and one encoder per
// command; the nested configurations are in config_json.cc, the typed reads in json_values.cc.
#include "host/command_json.h"

#include <array>
#include <exception>
#include <span>
#include <string>
#include <utility>
#include <variant>

#include "absl/strings/str_cat.h"
#include "host/config_json.h"
#include "host/json_values.h"

namespace switchboard::host {

using ::switchboard::detail::AbslView;

namespace {

using detail::Fields;
using detail::Json;

// Opens `args` for `op`, checking its keys.
#define SWITCHBOARD_OPEN_ARGS(fields, op, ...) \
  const Fields fields(args, "args", op);       \
  SWITCHBOARD_RETURN_IF_ERROR(fields.Check({__VA_ARGS__}))

using Decoder = absl::StatusOr<CommandBody> (*)(std::string_view op, const Json& args);

// ---- Decoders, in CommandBody's order.

absl::StatusOr<CommandBody> DecodeAddQueue(std::string_view op, const Json& args) {
  const Fields fields(args, "args", op);
  SWITCHBOARD_RETURN_IF_ERROR(fields.Check(detail::kQueueKeys));
  AddQueue command;
  SWITCHBOARD_RETURN_IF_ERROR(detail::DecodeQueueConfig(fields, &command.config));
  return command;
}

absl::StatusOr<CommandBody> DecodeAddAgent(std::string_view op, const Json& args) {
  const Fields fields(args, "args", op);
  SWITCHBOARD_RETURN_IF_ERROR(fields.Check(detail::kAgentKeys));
  AddAgent command;
  SWITCHBOARD_RETURN_IF_ERROR(detail::DecodeAgentConfig(fields, &command.config));
  return command;
}

absl::StatusOr<CommandBody> DecodeLogin(std::string_view op, const Json& args) {
  SWITCHBOARD_OPEN_ARGS(fields, op, "agent", "ready", "reason");
  Login command;
  SWITCHBOARD_RETURN_IF_ERROR(fields.Required("agent", &command.agent));
  SWITCHBOARD_RETURN_IF_ERROR(fields.Optional("ready", &command.ready));
  SWITCHBOARD_RETURN_IF_ERROR(fields.Optional("reason", &command.reason));
  return command;
}

absl::StatusOr<CommandBody> DecodeLogout(std::string_view op, const Json& args) {
  SWITCHBOARD_OPEN_ARGS(fields, op, "agent", "after_contacts");
  Logout command;
  SWITCHBOARD_RETURN_IF_ERROR(fields.Required("agent", &command.agent));
  SWITCHBOARD_RETURN_IF_ERROR(fields.Optional("after_contacts", &command.after_contacts));
  return command;
}

absl::StatusOr<CommandBody> DecodeSetReady(std::string_view op, const Json& args) {
  SWITCHBOARD_OPEN_ARGS(fields, op, "agent");
  SetReady command;
  SWITCHBOARD_RETURN_IF_ERROR(fields.Required("agent", &command.agent));
  return command;
}

absl::StatusOr<CommandBody> DecodeSetNotReady(std::string_view op, const Json& args) {
  SWITCHBOARD_OPEN_ARGS(fields, op, "agent", "reason", "after_contacts");
  SetNotReady command;
  SWITCHBOARD_RETURN_IF_ERROR(fields.Required("agent", &command.agent));
  SWITCHBOARD_RETURN_IF_ERROR(fields.Required("reason", &command.reason));
  SWITCHBOARD_RETURN_IF_ERROR(fields.Optional("after_contacts", &command.after_contacts));
  return command;
}

absl::StatusOr<CommandBody> DecodeAddContact(std::string_view op, const Json& args) {
  const Fields fields(args, "args", op);
  SWITCHBOARD_RETURN_IF_ERROR(fields.Check(detail::kContactKeys));
  AddContact command;
  SWITCHBOARD_RETURN_IF_ERROR(detail::DecodeContactConfig(fields, &command.config));
  return command;
}

// The commands of an agent and one of its contacts, both required.
template <typename T>
absl::StatusOr<CommandBody> DecodeAgentContact(std::string_view op, const Json& args) {
  SWITCHBOARD_OPEN_ARGS(fields, op, "agent", "contact");
  T command;
  SWITCHBOARD_RETURN_IF_ERROR(fields.Required("agent", &command.agent));
  SWITCHBOARD_RETURN_IF_ERROR(fields.Required("contact", &command.contact));
  return command;
}

absl::StatusOr<CommandBody> DecodeCompleteContact(std::string_view op, const Json& args) {
  SWITCHBOARD_OPEN_ARGS(fields, op, "agent", "contact", "disposition");
  CompleteContact command;
  SWITCHBOARD_RETURN_IF_ERROR(fields.Required("agent", &command.agent));
  SWITCHBOARD_RETURN_IF_ERROR(fields.Required("contact", &command.contact));
  SWITCHBOARD_RETURN_IF_ERROR(fields.Optional("disposition", &command.disposition));
  return command;
}

absl::StatusOr<CommandBody> DecodeEndWrapUp(std::string_view op, const Json& args) {
  SWITCHBOARD_OPEN_ARGS(fields, op, "agent", "contact");
  EndWrapUp command;
  SWITCHBOARD_RETURN_IF_ERROR(fields.Required("agent", &command.agent));
  SWITCHBOARD_RETURN_IF_ERROR(fields.Optional("contact", &command.contact));
  return command;
}

absl::StatusOr<CommandBody> DecodeExtendWrapUp(std::string_view op, const Json& args) {
  SWITCHBOARD_OPEN_ARGS(fields, op, "agent", "contact", "extension");
  ExtendWrapUp command;
  SWITCHBOARD_RETURN_IF_ERROR(fields.Required("agent", &command.agent));
  SWITCHBOARD_RETURN_IF_ERROR(fields.Required("contact", &command.contact));
  SWITCHBOARD_RETURN_IF_ERROR(fields.Required("extension", &command.extension));
  return command;
}

absl::StatusOr<CommandBody> DecodeAbandonContact(std::string_view op, const Json& args) {
  SWITCHBOARD_OPEN_ARGS(fields, op, "contact");
  AbandonContact command;
  SWITCHBOARD_RETURN_IF_ERROR(fields.Required("contact", &command.contact));
  return command;
}

absl::StatusOr<CommandBody> DecodeRemoveContact(std::string_view op, const Json& args) {
  SWITCHBOARD_OPEN_ARGS(fields, op, "contact", "reason");
  RemoveContact command;
  SWITCHBOARD_RETURN_IF_ERROR(fields.Required("contact", &command.contact));
  SWITCHBOARD_RETURN_IF_ERROR(fields.Required("reason", &command.reason));
  return command;
}

absl::StatusOr<CommandBody> DecodeAnswerOverflow(std::string_view op, const Json& args) {
  SWITCHBOARD_OPEN_ARGS(fields, op, "contact", "accepted", "callback_at");
  AnswerOverflow command;
  SWITCHBOARD_RETURN_IF_ERROR(fields.Required("contact", &command.contact));
  SWITCHBOARD_RETURN_IF_ERROR(fields.Required("accepted", &command.accepted));
  SWITCHBOARD_RETURN_IF_ERROR(fields.Optional("callback_at", &command.callback_at));
  return command;
}

absl::StatusOr<CommandBody> DecodeReportCallback(std::string_view op, const Json& args) {
  SWITCHBOARD_OPEN_ARGS(fields, op, "contact", "result");
  ReportCallback command;
  SWITCHBOARD_RETURN_IF_ERROR(fields.Required("contact", &command.contact));
  const Json* result = fields.Find("result");
  if (result == nullptr) return fields.Missing("result");
  SWITCHBOARD_RETURN_IF_ERROR(detail::ReadEnum(*result, fields.PathOf("result"), "callback result",
                                               detail::kCallbackResultCount,
                                               &detail::CallbackResultName, &command.result));
  return command;
}

absl::StatusOr<CommandBody> DecodeSetEntryRules(std::string_view op, const Json& args) {
  SWITCHBOARD_OPEN_ARGS(fields, op, "rules");
  SetEntryRules command;
  const Json* rules = fields.Find("rules");
  if (rules == nullptr) return fields.Missing("rules");
  SWITCHBOARD_RETURN_IF_ERROR(
      detail::DecodeEntryRules(*rules, fields.PathOf("rules"), &command.rules));
  return command;
}

absl::StatusOr<CommandBody> DecodeUpdateAgent(std::string_view op, const Json& args) {
  const Fields fields(args, "args", op);
  SWITCHBOARD_RETURN_IF_ERROR(fields.Check(detail::kAgentKeys));
  UpdateAgent command;
  SWITCHBOARD_RETURN_IF_ERROR(detail::DecodeUpdateAgent(fields, &command));
  return command;
}

absl::StatusOr<CommandBody> DecodeRemoveAgent(std::string_view op, const Json& args) {
  SWITCHBOARD_OPEN_ARGS(fields, op, "id");
  RemoveAgent command;
  SWITCHBOARD_RETURN_IF_ERROR(fields.Required("id", &command.agent));
  return command;
}

absl::StatusOr<CommandBody> DecodeUpdateQueue(std::string_view op, const Json& args) {
  const Fields fields(args, "args", op);
  SWITCHBOARD_RETURN_IF_ERROR(fields.Check(detail::kQueueKeys));
  UpdateQueue command;
  SWITCHBOARD_RETURN_IF_ERROR(detail::DecodeQueueConfig(fields, &command.config));
  return command;
}

absl::StatusOr<CommandBody> DecodeRemoveQueue(std::string_view op, const Json& args) {
  SWITCHBOARD_OPEN_ARGS(fields, op, "id", "move_to");
  RemoveQueue command;
  SWITCHBOARD_RETURN_IF_ERROR(fields.Required("id", &command.queue));
  SWITCHBOARD_RETURN_IF_ERROR(fields.Optional("move_to", &command.move_to));
  return command;
}

absl::StatusOr<CommandBody> DecodeMoveContact(std::string_view op, const Json& args) {
  SWITCHBOARD_OPEN_ARGS(fields, op, "contact", "queue");
  MoveContact command;
  SWITCHBOARD_RETURN_IF_ERROR(fields.Required("contact", &command.contact));
  SWITCHBOARD_RETURN_IF_ERROR(fields.Required("queue", &command.queue));
  return command;
}

absl::StatusOr<CommandBody> DecodeSetContactPriority(std::string_view op, const Json& args) {
  SWITCHBOARD_OPEN_ARGS(fields, op, "contact", "priority", "priority_class");
  SetContactPriority command;
  SWITCHBOARD_RETURN_IF_ERROR(fields.Required("contact", &command.contact));
  SWITCHBOARD_RETURN_IF_ERROR(fields.Required("priority", &command.priority));
  SWITCHBOARD_RETURN_IF_ERROR(fields.Optional("priority_class", &command.priority_class));
  return command;
}

absl::StatusOr<CommandBody> DecodeAssignContact(std::string_view op, const Json& args) {
  SWITCHBOARD_OPEN_ARGS(fields, op, "contact", "agent");
  AssignContact command;
  SWITCHBOARD_RETURN_IF_ERROR(fields.Required("contact", &command.contact));
  SWITCHBOARD_RETURN_IF_ERROR(fields.Required("agent", &command.agent));
  return command;
}

absl::StatusOr<CommandBody> DecodeTransferContact(std::string_view op, const Json& args) {
  SWITCHBOARD_OPEN_ARGS(fields, op, "agent", "contact", "queue", "to_agent", "timeout");
  TransferContact command;
  SWITCHBOARD_RETURN_IF_ERROR(fields.Required("agent", &command.agent));
  SWITCHBOARD_RETURN_IF_ERROR(fields.Required("contact", &command.contact));
  SWITCHBOARD_RETURN_IF_ERROR(fields.Optional("queue", &command.queue));
  SWITCHBOARD_RETURN_IF_ERROR(fields.Optional("to_agent", &command.to_agent));
  SWITCHBOARD_RETURN_IF_ERROR(fields.Optional("timeout", &command.timeout));
  return command;
}

absl::StatusOr<CommandBody> DecodeStartConsult(std::string_view op, const Json& args) {
  SWITCHBOARD_OPEN_ARGS(fields, op, "agent", "contact", "to_agent");
  StartConsult command;
  SWITCHBOARD_RETURN_IF_ERROR(fields.Required("agent", &command.agent));
  SWITCHBOARD_RETURN_IF_ERROR(fields.Required("contact", &command.contact));
  SWITCHBOARD_RETURN_IF_ERROR(fields.Required("to_agent", &command.to_agent));
  return command;
}

absl::StatusOr<CommandBody> DecodeAdvance(std::string_view op, const Json& args) {
  const Fields fields(args, "args", op);
  SWITCHBOARD_RETURN_IF_ERROR(fields.Check(std::span<const std::string_view>()));
  return Advance{};
}

struct Op {
  std::string_view name;
  Decoder decode;
};

// In CommandBody's order; the names are CommandName's (a test checks both).
constexpr std::array<Op, std::variant_size_v<CommandBody>> kOps = {{
    {"add_queue", &DecodeAddQueue},
    {"add_agent", &DecodeAddAgent},
    {"login", &DecodeLogin},
    {"logout", &DecodeLogout},
    {"set_ready", &DecodeSetReady},
    {"set_not_ready", &DecodeSetNotReady},
    {"add_contact", &DecodeAddContact},
    {"accept_offer", &DecodeAgentContact<AcceptOffer>},
    {"reject_offer", &DecodeAgentContact<RejectOffer>},
    {"hold_contact", &DecodeAgentContact<HoldContact>},
    {"resume_contact", &DecodeAgentContact<ResumeContact>},
    {"complete_contact", &DecodeCompleteContact},
    {"end_wrap_up", &DecodeEndWrapUp},
    {"extend_wrap_up", &DecodeExtendWrapUp},
    {"abandon_contact", &DecodeAbandonContact},
    {"remove_contact", &DecodeRemoveContact},
    {"answer_overflow", &DecodeAnswerOverflow},
    {"report_callback", &DecodeReportCallback},
    {"set_entry_rules", &DecodeSetEntryRules},
    {"update_agent", &DecodeUpdateAgent},
    {"remove_agent", &DecodeRemoveAgent},
    {"update_queue", &DecodeUpdateQueue},
    {"remove_queue", &DecodeRemoveQueue},
    {"move_contact", &DecodeMoveContact},
    {"set_contact_priority", &DecodeSetContactPriority},
    {"assign_contact", &DecodeAssignContact},
    {"transfer_contact", &DecodeTransferContact},
    {"start_consult", &DecodeStartConsult},
    {"complete_consult", &DecodeAgentContact<CompleteConsult>},
    {"cancel_consult", &DecodeAgentContact<CancelConsult>},
    {"advance", &DecodeAdvance},
}};

// ---- Encoders: the args object of each command.
struct Encoder {
  Json& args;

  void operator()(const AddQueue& c) const { detail::EncodeQueueConfig(c.config, args); }
  void operator()(const AddAgent& c) const { detail::EncodeAgentConfig(c.config, args); }
  void operator()(const Login& c) const {
    args["agent"] = c.agent;
    if (c.ready) args["ready"] = true;
    if (!c.reason.empty()) args["reason"] = c.reason;
  }
  void operator()(const Logout& c) const {
    args["agent"] = c.agent;
    if (c.after_contacts) args["after_contacts"] = true;
  }
  void operator()(const SetReady& c) const { args["agent"] = c.agent; }
  void operator()(const SetNotReady& c) const {
    args["agent"] = c.agent;
    args["reason"] = c.reason;
    if (c.after_contacts) args["after_contacts"] = true;
  }
  void operator()(const AddContact& c) const { detail::EncodeContactConfig(c.config, args); }
  void operator()(const AcceptOffer& c) const { AgentContact(c); }
  void operator()(const RejectOffer& c) const { AgentContact(c); }
  void operator()(const HoldContact& c) const { AgentContact(c); }
  void operator()(const ResumeContact& c) const { AgentContact(c); }
  void operator()(const CompleteContact& c) const {
    AgentContact(c);
    if (!c.disposition.empty()) args["disposition"] = c.disposition;
  }
  void operator()(const EndWrapUp& c) const {
    args["agent"] = c.agent;
    if (!c.contact.empty()) args["contact"] = c.contact;
  }
  void operator()(const ExtendWrapUp& c) const {
    AgentContact(c);
    args["extension"] = EncodeDuration(c.extension);
  }
  void operator()(const AbandonContact& c) const { args["contact"] = c.contact; }
  void operator()(const RemoveContact& c) const {
    args["contact"] = c.contact;
    args["reason"] = c.reason;
  }
  void operator()(const AnswerOverflow& c) const {
    args["contact"] = c.contact;
    args["accepted"] = c.accepted;
    if (c.callback_at) args["callback_at"] = EncodeTime(*c.callback_at);
  }
  void operator()(const ReportCallback& c) const {
    args["contact"] = c.contact;
    args["result"] = detail::CallbackResultName(c.result);
  }
  void operator()(const SetEntryRules& c) const {
    args["rules"] = detail::EncodeEntryRules(c.rules);
  }
  void operator()(const UpdateAgent& c) const { detail::EncodeUpdateAgent(c, args); }
  void operator()(const RemoveAgent& c) const { args["id"] = c.agent; }
  void operator()(const UpdateQueue& c) const { detail::EncodeQueueConfig(c.config, args); }
  void operator()(const RemoveQueue& c) const {
    args["id"] = c.queue;
    if (!c.move_to.empty()) args["move_to"] = c.move_to;
  }
  void operator()(const MoveContact& c) const {
    args["contact"] = c.contact;
    args["queue"] = c.queue;
  }
  void operator()(const SetContactPriority& c) const {
    args["contact"] = c.contact;
    args["priority"] = c.priority;
    if (c.priority_class) args["priority_class"] = *c.priority_class;
  }
  void operator()(const AssignContact& c) const {
    args["contact"] = c.contact;
    args["agent"] = c.agent;
  }
  void operator()(const TransferContact& c) const {
    AgentContact(c);
    if (!c.queue.empty()) args["queue"] = c.queue;
    if (!c.to_agent.empty()) args["to_agent"] = c.to_agent;
    if (c.timeout != TransferContact{}.timeout) args["timeout"] = EncodeDuration(c.timeout);
  }
  void operator()(const StartConsult& c) const {
    AgentContact(c);
    args["to_agent"] = c.to_agent;
  }
  void operator()(const CompleteConsult& c) const { AgentContact(c); }
  void operator()(const CancelConsult& c) const { AgentContact(c); }
  void operator()(const Advance&) const {}

  template <typename T>
  void AgentContact(const T& c) const {
    args["agent"] = c.agent;
    args["contact"] = c.contact;
  }
};

#undef SWITCHBOARD_OPEN_ARGS

}  // namespace

absl::StatusOr<CommandBody> DecodeCommandBody(std::string_view op, const nlohmann::json& args) {
  for (const Op& entry : kOps) {
    if (entry.name != op) continue;
    try {
      return entry.decode(op, args);
    } catch (const std::exception& e) {
      // Not expected: every value is inspected with is_*() before it is read.
      return absl::InternalError(absl::StrCat("decoding ", AbslView(op), ": ", e.what()));
    }
  }
  return absl::InvalidArgumentError(absl::StrCat("unknown op '", AbslView(op), "'"));
}

nlohmann::json EncodeCommandBody(const CommandBody& body) {
  Json args = Json::object();
  std::visit(Encoder{args}, body);
  return args;
}

absl::StatusOr<absl::Time> DecodeTime(const nlohmann::json& value) {
  absl::Time t;
  SWITCHBOARD_RETURN_IF_ERROR(detail::Read(value, "", &t));
  return t;
}

std::string EncodeTime(absl::Time t) {
  return absl::FormatTime(absl::RFC3339_full, t, absl::UTCTimeZone());
}

absl::StatusOr<absl::Duration> DecodeDuration(const nlohmann::json& value) {
  absl::Duration d;
  SWITCHBOARD_RETURN_IF_ERROR(detail::Read(value, "", &d));
  return d;
}

std::string EncodeDuration(absl::Duration d) { return absl::FormatDuration(d); }

absl::StatusOr<Actor> DecodeActor(std::string_view text) {
  if (text == "host") return Actor::Host();
  if (text == "system") return Actor::System();
  const size_t colon = text.find(':');
  if (colon != std::string_view::npos) {
    const std::string_view kind = text.substr(0, colon);
    std::string id(text.substr(colon + 1));
    if (kind == "agent") return Actor::Agent(std::move(id));
    if (kind == "supervisor") return Actor::Supervisor(std::move(id));
    if (kind == "host" && !id.empty()) return Actor{Actor::Kind::kHost, std::move(id)};
  }
  return absl::InvalidArgumentError(
      absl::StrCat("actor '", AbslView(text),
                   "': expected \"host\", \"system\", \"agent:ID\" or \"supervisor:ID\""));
}

}  // namespace switchboard::host
