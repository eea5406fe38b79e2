// The contact log's CSV: writing what the simulator recorded, reading a day to replay.
#include "switchboard/contact_log.h"

#include <array>
#include <cmath>
#include <limits>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/numbers.h"
#include "base/status_macros.h"
#include "core/validation.h"
#include "fmt/format.h"
#include "switchboard/limits.h"

namespace switchboard {
namespace {

constexpr std::array<std::string_view, 8> kOutcomeNames = {
    "answered", "abandoned", "deflected", "voicemail", "disconnected", "callback_failed",
    "waiting",  "skipped"};

// A field, quoted when it holds a comma, a quote or a line break.
void AppendField(std::string& out, std::string_view field) {
  if (field.find_first_of(",\"\r\n") == std::string_view::npos) {
    out += field;
    return;
  }
  out += '"';
  for (char c : field) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

std::string AttributesText(const Attributes& attributes) {
  std::string text;
  for (const auto& [key, value] : attributes) {
    if (!text.empty()) text += ';';
    text += key;
    text += '=';
    if (const double* number = std::get_if<double>(&value)) {
      text += fmt::format("{}", *number);
    } else {
      text += std::get<std::string>(value);
    }
  }
  return text;
}

// The fields of one line (RFC 4180 quoting, without line breaks inside fields), or what is
// wrong with its quotes.
absl::StatusOr<std::vector<std::string>> SplitLine(std::string_view line) {
  std::vector<std::string> fields(1);
  bool quoted = false;
  bool closed = false;  // the field's closing quote was read: only a comma may follow
  size_t field_start = 0;
  for (size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        fields.back() += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
        closed = true;
      } else {
        fields.back() += c;
      }
    } else if (c == ',') {
      fields.emplace_back();
      closed = false;
      field_start = i + 1;
    } else if (closed) {
      return absl::InvalidArgumentError(fmt::format(
          "field {}: '{}' after its closing quote; expected a comma", fields.size(), c));
    } else if (c == '"') {
      if (i != field_start) {
        return absl::InvalidArgumentError(fmt::format(
            "field {}: a quote inside an unquoted field (quote the field and double the quote)",
            fields.size()));
      }
      quoted = true;
    } else {
      fields.back() += c;
    }
  }
  if (quoted) return absl::InvalidArgumentError("a quote is not closed");
  return fields;
}

enum Column : int {
  kCustomer,
  kRedial,
  kArrival,
  kQueue,
  kAttributes,
  kChannel,
  kPriority,
  kHandle,
  kOutcome,
  kWait,
  kAbandon,
  kAnswered,
  kQueued,
  kColumnCount,
};
constexpr std::array<std::string_view, kColumnCount> kColumnNames = {
    "customer", "redial",   "arrival_s", "queue",  "attributes", "channel",
    "priority", "handle_s", "outcome",   "wait_s", "abandon_s", "answered_s", "queued_s"};

// The largest number of seconds a time field may hold: kMaxDuration, so that any time plus a
// wait stays far inside 64-bit microseconds.
constexpr double kMaxSeconds = 360'000'000;
static_assert(kMaxDuration == absl::Hours(100'000) && kMaxSeconds == 100'000.0 * 3600);

}  // namespace

std::string_view LoggedOutcomeName(LoggedOutcome outcome) {
  return kOutcomeNames[static_cast<size_t>(outcome)];
}

std::optional<LoggedOutcome> ParseLoggedOutcome(std::string_view name) {
  for (size_t i = 0; i < kOutcomeNames.size(); ++i) {
    if (kOutcomeNames[i] == name) return static_cast<LoggedOutcome>(i);
  }
  return std::nullopt;
}

std::string ContactLogToCsv(std::span<const ContactRecord> records) {
  std::string out(kContactLogHeader);
  out += '\n';
  for (const ContactRecord& r : records) {
    out += fmt::format("{},{},{},", r.customer, r.redial ? 1 : 0, r.arrival_s);
    AppendField(out, r.queue);
    out += ',';
    AppendField(out, AttributesText(r.attributes));
    out += fmt::format(",{},{},", ChannelName(r.channel), r.priority);
    if (!std::isnan(r.handle_s)) out += fmt::format("{}", r.handle_s);
    out += fmt::format(",{},{},", LoggedOutcomeName(r.outcome), r.wait_s);
    if (r.outcome == LoggedOutcome::kAbandoned) out += fmt::format("{}", r.arrival_s + r.wait_s);
    out += ',';
    if (r.outcome == LoggedOutcome::kAnswered && r.answered_s && *r.answered_s != r.wait_s) {
      out += fmt::format("{}", *r.answered_s);
    }
    out += ',';
    if (r.queued_s && *r.queued_s != r.wait_s) out += fmt::format("{}", *r.queued_s);
    out += '\n';
  }
  return out;
}

absl::StatusOr<std::vector<ContactRecord>> ParseContactLog(std::string_view text,
                                                           std::string_view file_name) {
  int line_number = 0;
  auto error = [&](std::string_view column, std::string_view what) {
    return absl::InvalidArgumentError(
        fmt::format("{}: line {}, column '{}': {}", file_name, line_number,
                    column, what));
  };
  std::array<int, kColumnCount> index;
  index.fill(-1);
  size_t width = 0;
  std::vector<ContactRecord> records;
  double last_arrival = 0;
  uint64_t next_customer = 0;  // when there is no customer column
  absl::flat_hash_map<uint64_t, int> first_line;  // customer -> the line of their first call
  size_t start = 0;
  if (text.substr(0, 3) == "\xEF\xBB\xBF") start = 3;  // a UTF-8 byte order mark
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    start = end + 1;
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) continue;
    absl::StatusOr<std::vector<std::string>> fields = SplitLine(line);
    if (!fields.ok()) {
      return absl::InvalidArgumentError(fmt::format("{}: line {}: {}", file_name, line_number,
                                                    detail::Message(fields.status())));
    }
    if (width == 0) {  // the header
      for (size_t f = 0; f < fields->size(); ++f) {
        const std::string& name = (*fields)[f];
        int column = -1;
        for (int c = 0; c < kColumnCount; ++c) {
          if (kColumnNames[c] == name) column = c;
        }
        if (column < 0) {
          return error(name, fmt::format("unknown column; expected some of {}",
                                         kContactLogHeader));
        }
        if (index[column] >= 0) return error(name, "the column appears twice");
        index[column] = static_cast<int>(f);
      }
      for (Column required : {kArrival, kHandle, kOutcome}) {
        if (index[required] < 0) return error(kColumnNames[required], "missing from the header");
      }
      if (index[kQueue] < 0 && index[kAttributes] < 0) {
        return error("queue", "missing from the header (give queue, attributes or both)");
      }
      width = fields->size();
      continue;
    }
    if (fields->size() != width) {
      return absl::InvalidArgumentError(fmt::format(
          "{}: line {}: {} fields; the header has {}", file_name, line_number,
          fields->size(), width));
    }
    auto field = [&](Column c) -> std::string_view {
      return index[c] < 0 ? std::string_view() : std::string_view((*fields)[index[c]]);
    };
    // A number of seconds >= 0; nullopt when the field is empty and may be.
    auto seconds = [&](Column c, bool required) -> absl::StatusOr<std::optional<double>> {
      const std::string_view value = field(c);
      if (value.empty()) {
        if (required) return error(kColumnNames[c], "empty; expected a number of seconds >= 0");
        return std::optional<double>();
      }
      double x = 0;
      if (!absl::SimpleAtod(detail::AbslView(value), &x) || !std::isfinite(x) || x < 0) {
        return error(kColumnNames[c], fmt::format("'{}' is not a number of seconds >= 0",
                                                  value));
      }
      if (x > kMaxSeconds) {
        return error(kColumnNames[c], fmt::format("{} is more than {} seconds (100,000 hours, "
                                                  "the longest time the simulator takes)",
                                                  value, kMaxSeconds));
      }
      return std::optional<double>(x);
    };
    ContactRecord record;
    record.line = line_number;
    if (index[kCustomer] >= 0) {
      if (!absl::SimpleAtoi(detail::AbslView(field(kCustomer)), &record.customer)) {
        return error("customer", fmt::format("'{}' is not a customer number (an integer >= 0)",
                                             field(kCustomer)));
      }
    } else {
      record.customer = next_customer++;
    }
    const std::string_view redial = field(kRedial);
    if (redial == "1" || redial == "true") {
      record.redial = true;
    } else if (!(redial.empty() || redial == "0" || redial == "false")) {
      return error("redial", fmt::format("'{}'; expected 0 or 1", redial));
    }
    // A customer's first call is not a redial; each later one is.
    const auto [seen, first] = first_line.try_emplace(record.customer, line_number);
    if (first && record.redial) {
      return error("redial", fmt::format("1, but this is customer {}'s first call; expected 0",
                                         record.customer));
    }
    if (!first && !record.redial) {
      return error("redial", fmt::format("0, but customer {} called before (line {}); expected 1",
                                         record.customer, seen->second));
    }
    absl::StatusOr<std::optional<double>> arrival = seconds(kArrival, true);
    if (!arrival.ok()) return arrival.status();
    record.arrival_s = **arrival;
    if (record.arrival_s < last_arrival) {
      return error("arrival_s", fmt::format("{} is before the previous row's {}; rows must come "
                                            "in order of arrival",
                                            record.arrival_s, last_arrival));
    }
    last_arrival = record.arrival_s;
    record.queue = std::string(field(kQueue));
    const std::string_view attributes = field(kAttributes);
    size_t at = 0;
    while (at < attributes.size()) {
      size_t stop = attributes.find(';', at);
      if (stop == std::string_view::npos) stop = attributes.size();
      const std::string_view pair = attributes.substr(at, stop - at);
      at = stop + 1;
      const size_t equals = pair.find('=');
      if (equals == std::string_view::npos || equals == 0) {
        return error("attributes", fmt::format("'{}' is not key=value (pairs joined by ';')",
                                               pair));
      }
      const std::string_view value = pair.substr(equals + 1);
      double number = 0;
      if (absl::SimpleAtod(detail::AbslView(value), &number) && std::isfinite(number)) {
        record.attributes[std::string(pair.substr(0, equals))] = number;
      } else {
        record.attributes[std::string(pair.substr(0, equals))] = std::string(value);
      }
    }
    SWITCHBOARD_RETURN_IF_ERROR(detail::CheckAttributes(
        fmt::format("{}: line {}, column 'attributes'", file_name, line_number),
        record.attributes));
    SWITCHBOARD_RETURN_IF_ERROR(CheckText(
        fmt::format("{}: line {}, column 'queue'", file_name, line_number), record.queue,
        kMaxIdBytes));
    if (record.queue.empty() && index[kAttributes] < 0) {
      return error("queue", "empty; expected the queue the contact entered");
    }
    if (const std::string_view channel = field(kChannel); !channel.empty()) {
      std::optional<Channel> parsed = ParseChannel(channel);
      if (!parsed) {
        return error("channel", fmt::format("unknown channel '{}'; expected voice, chat, email, "
                                            "sms, social, web, fax or callback",
                                            channel));
      }
      record.channel = *parsed;
    }
    if (const std::string_view priority = field(kPriority); !priority.empty()) {
      if (!absl::SimpleAtoi(detail::AbslView(priority), &record.priority)) {
        return error("priority",
                     fmt::format("'{}' is not an integer", priority));
      }
      if (record.priority < -kMaxPriority || record.priority > kMaxPriority) {
        return error("priority", fmt::format("{} is outside {}..{}", record.priority,
                                             -kMaxPriority, kMaxPriority));
      }
    }
    std::optional<LoggedOutcome> outcome = ParseLoggedOutcome(field(kOutcome));
    if (!outcome || *outcome == LoggedOutcome::kSkipped) {
      return error("outcome", fmt::format("'{}'; expected answered, abandoned, deflected, "
                                          "voicemail, disconnected, callback_failed or waiting",
                                          field(kOutcome)));
    }
    record.outcome = *outcome;
    // An unanswered contact's talk time is unknown to a real log: NaN, drawn by the replay.
    absl::StatusOr<std::optional<double>> handle =
        seconds(kHandle, record.outcome == LoggedOutcome::kAnswered);
    if (!handle.ok()) return handle.status();
    record.handle_s = handle->value_or(std::numeric_limits<double>::quiet_NaN());
    absl::StatusOr<std::optional<double>> wait =
        seconds(kWait, record.outcome == LoggedOutcome::kAnswered);
    if (!wait.ok()) return wait.status();
    absl::StatusOr<std::optional<double>> abandon = seconds(kAbandon, false);
    if (!abandon.ok()) return abandon.status();
    if (record.outcome == LoggedOutcome::kAbandoned) {
      if (*abandon) {
        if (**abandon < record.arrival_s) {
          return error("abandon_s", fmt::format("{} is before the arrival at {}", **abandon,
                                                record.arrival_s));
        }
        record.wait_s = **abandon - record.arrival_s;
      } else if (*wait) {
        record.wait_s = **wait;
      } else {
        return error("abandon_s", "empty for an abandoned contact; expected the time the "
                                  "customer gave up (or its wait_s)");
      }
    } else {
      record.wait_s = wait->value_or(0);
    }
    absl::StatusOr<std::optional<double>> answered = seconds(kAnswered, false);
    if (!answered.ok()) return answered.status();
    if (record.outcome == LoggedOutcome::kAnswered) record.answered_s = *answered;
    absl::StatusOr<std::optional<double>> queued = seconds(kQueued, false);
    if (!queued.ok()) return queued.status();
    record.queued_s = *queued;
    records.push_back(std::move(record));
  }
  if (width == 0) {
    return absl::InvalidArgumentError(
        fmt::format("{}: empty; expected a header line ({})", file_name,
                    kContactLogHeader));
  }
  return records;
}

}  // namespace switchboard
