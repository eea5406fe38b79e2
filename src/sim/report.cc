#include "switchboard/report.h"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <iterator>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "absl/time/time.h"
#include "fmt/format.h"
#include "sim/kpi_fields.h"

namespace switchboard {
namespace {

using detail::kKpiFields;

using Buffer = fmt::memory_buffer;

// Shortest representation that reads back to the same double (fmt's "{}", independent of the
// locale); -0 prints as 0.
std::string Number(double x) {
  if (x == 0) return "0";
  return fmt::format("{}", x);
}

// ---------------------------------------------------------------------------------------------
// JSON

void JsonNumber(Buffer& out, double x) {
  if (!std::isfinite(x)) {
    fmt::format_to(std::back_inserter(out), "null");
  } else {
    fmt::format_to(std::back_inserter(out), "{}", Number(x));
  }
}

void JsonString(Buffer& out, std::string_view s) {
  auto it = std::back_inserter(out);
  *it++ = '"';
  for (char c : s) {
    switch (c) {
      case '"':
        fmt::format_to(it, "\\\"");
        break;
      case '\\':
        fmt::format_to(it, "\\\\");
        break;
      case '\n':
        fmt::format_to(it, "\\n");
        break;
      case '\r':
        fmt::format_to(it, "\\r");
        break;
      case '\t':
        fmt::format_to(it, "\\t");
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          fmt::format_to(it, "\\u{:04x}", static_cast<unsigned>(static_cast<unsigned char>(c)));
        } else {
          *it++ = c;
        }
    }
  }
  *it++ = '"';
}

void Indent(Buffer& out, int level) {
  for (int i = 0; i < level; ++i) fmt::format_to(std::back_inserter(out), "  ");
}

// `"key": ` at `level`.
void JsonKey(Buffer& out, int level, std::string_view key) {
  Indent(out, level);
  JsonString(out, key);
  fmt::format_to(std::back_inserter(out), ": ");
}

// A metric on one line: {"mean": x, "ci95": h}.
void JsonMetric(Buffer& out, const Metric& metric) {
  fmt::format_to(std::back_inserter(out), "{{\"mean\": ");
  JsonNumber(out, metric.mean);
  fmt::format_to(std::back_inserter(out), ", \"ci95\": ");
  JsonNumber(out, metric.ci95);
  fmt::format_to(std::back_inserter(out), "}}");
}

// The object of one Kpis, its opening brace already written; ends with the closing brace.
void JsonKpis(Buffer& out, int level, const Kpis& kpis) {
  fmt::format_to(std::back_inserter(out), "{{\n");
  bool first = true;
  for (const detail::KpiField& field : kKpiFields) {
    if (!first) fmt::format_to(std::back_inserter(out), ",\n");
    first = false;
    JsonKey(out, level + 1, field.key);
    JsonMetric(out, kpis.*field.member);
  }
  fmt::format_to(std::back_inserter(out), "\n");
  Indent(out, level);
  fmt::format_to(std::back_inserter(out), "}}");
}

void JsonQueues(Buffer& out, int level, const std::map<std::string, Kpis>& queues) {
  if (queues.empty()) {
    fmt::format_to(std::back_inserter(out), "{{}}");
    return;
  }
  fmt::format_to(std::back_inserter(out), "{{\n");
  bool first = true;
  for (const auto& [name, kpis] : queues) {
    if (!first) fmt::format_to(std::back_inserter(out), ",\n");
    first = false;
    JsonKey(out, level + 1, name);
    JsonKpis(out, level + 1, kpis);
  }
  fmt::format_to(std::back_inserter(out), "\n");
  Indent(out, level);
  fmt::format_to(std::back_inserter(out), "}}");
}

// ---------------------------------------------------------------------------------------------
// Table

// Display width of UTF-8 text (code points; the table uses no wide characters).
size_t Width(std::string_view s) {
  size_t width = 0;
  for (char c : s) width += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return width;
}

struct Column {
  std::string_view header;
  Metric Kpis::*member;
  double scale;   // 100 for shares shown as percentages
  int precision;  // decimals
};

constexpr Column kColumns[] = {
    {"offered", &Kpis::offered, 1, 1},
    {"answered", &Kpis::answered, 1, 1},
    {"abandoned", &Kpis::abandoned, 1, 1},
    {"SL %", &Kpis::service_level, 100, 1},
    {"P(wait) %", &Kpis::p_wait, 100, 1},
    {"ASA s", &Kpis::asa_s, 1, 1},
    {"abandon %", &Kpis::abandon_rate, 100, 2},
    {"AHT s", &Kpis::aht_s, 1, 1},
    {"mean queue", &Kpis::mean_queue_length, 1, 2},
    {"max wait s", &Kpis::max_wait_s, 1, 1},
    {"EWT err s", &Kpis::ewt_error_s, 1, 1},
    {"EWT bias s", &Kpis::ewt_bias_s, 1, 1},
};

// The policies' outcomes: a second table, printed when an overflow or entry rule fired or a
// customer called again.
constexpr Column kPolicyColumns[] = {
    {"overflow %", &Kpis::overflow_rate, 100, 1},
    {"transferred", &Kpis::transferred, 1, 1},
    {"callbacks", &Kpis::callbacks, 1, 1},
    {"connected", &Kpis::callbacks_connected, 1, 1},
    {"failed", &Kpis::callbacks_failed, 1, 1},
    {"deflected", &Kpis::deflected, 1, 1},
    {"voicemail", &Kpis::voicemail, 1, 1},
    {"disconnected", &Kpis::disconnected, 1, 1},
    {"redials", &Kpis::redials, 1, 1},
    {"first calls", &Kpis::first_attempts, 1, 1},
    {"served cust.", &Kpis::customers_served, 1, 1},
};

std::string Fixed(double x, int precision) {
  if (!std::isfinite(x)) return "-";
  std::string s = fmt::format("{:.{}f}", x, precision);
  // No "-0.0" for a value that rounds to zero.
  if (s.front() == '-' && s.find_first_not_of("-0.") == std::string::npos) s.erase(0, 1);
  return s;
}

// "mean ± ci95", or just the mean with one replication.
std::string Cell(const Metric& metric, double scale, int precision, bool with_ci) {
  std::string text = Fixed(metric.mean * scale, precision);
  if (with_ci && std::isfinite(metric.mean)) {
    text += " \u00b1 " + Fixed(metric.ci95 * scale, precision);
  }
  return text;
}

void Pad(std::string& out, std::string_view text, size_t width, bool right) {
  const size_t fill = width > Width(text) ? width - Width(text) : 0;
  if (right) out.append(fill, ' ');
  out.append(text);
  if (!right) out.append(fill, ' ');
}

// ---------------------------------------------------------------------------------------------
// CSV

std::string CsvField(std::string_view s) {
  if (s.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(s);
  std::string quoted = "\"";
  for (char c : s) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  quoted += '"';
  return quoted;
}

std::string CsvNumber(double x) { return std::isfinite(x) ? Number(x) : std::string(); }

void CsvRow(std::string& out, const std::string& start, std::string_view queue, const Kpis& kpis,
            const Metric& occupancy) {
  out += start;
  out += ',';
  out += CsvField(queue);
  for (const detail::KpiField& field : kKpiFields) {
    const Metric& metric = kpis.*field.member;
    out += ',';
    out += CsvNumber(metric.mean);
    out += ',';
    out += CsvNumber(metric.ci95);
  }
  out += ',';
  out += CsvNumber(occupancy.mean);
  out += ',';
  out += CsvNumber(occupancy.ci95);
  out += '\n';
}

}  // namespace

std::string ResultsToJson(const SimulationResult& result) {
  Buffer out;
  auto it = std::back_inserter(out);
  fmt::format_to(it, "{{\n");
  JsonKey(out, 1, "scenario");
  JsonString(out, result.scenario);
  fmt::format_to(it, ",\n");
  JsonKey(out, 1, "seed");
  fmt::format_to(it, "{},\n", result.seed);
  JsonKey(out, 1, "replications");
  fmt::format_to(it, "{},\n", result.replications);
  JsonKey(out, 1, "queues");
  JsonQueues(out, 1, result.queues);
  fmt::format_to(it, ",\n");
  JsonKey(out, 1, "overall");
  JsonKpis(out, 1, result.overall);
  fmt::format_to(it, ",\n");
  JsonKey(out, 1, "agents");
  fmt::format_to(it, "{{\n");
  JsonKey(out, 2, "occupancy");
  JsonMetric(out, result.occupancy);
  fmt::format_to(it, "\n  }},\n");
  JsonKey(out, 1, "intervals");
  if (result.intervals.empty()) {
    fmt::format_to(it, "[],\n");
  } else {
    fmt::format_to(it, "[\n");
    bool first = true;
    for (const IntervalReport& interval : result.intervals) {
      if (!first) fmt::format_to(it, ",\n");
      first = false;
      Indent(out, 2);
      fmt::format_to(it, "{{\n");
      JsonKey(out, 3, "start_s");
      JsonNumber(out, absl::ToDoubleSeconds(interval.start));
      fmt::format_to(it, ",\n");
      JsonKey(out, 3, "queues");
      JsonQueues(out, 3, interval.queues);
      fmt::format_to(it, ",\n");
      JsonKey(out, 3, "overall");
      JsonKpis(out, 3, interval.overall);
      fmt::format_to(it, ",\n");
      JsonKey(out, 3, "occupancy");
      JsonMetric(out, interval.occupancy);
      fmt::format_to(it, "\n");
      Indent(out, 2);
      fmt::format_to(it, "}}");
    }
    fmt::format_to(it, "\n  ],\n");
  }
  JsonKey(out, 1, "contacts_simulated");
  fmt::format_to(it, "{}\n}}\n", result.contacts_simulated);
  return fmt::to_string(out);
}

namespace {

// One table: a header row, a row per queue, then "overall" set apart by a rule.
template <size_t N>
std::string KpiTable(const SimulationResult& result, const Column (&columns)[N]) {
  const bool with_ci = result.replications > 1;
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> header = {"queue"};
  for (const Column& column : columns) header.emplace_back(column.header);
  rows.push_back(std::move(header));
  auto add_row = [&](std::string_view name, const Kpis& kpis) {
    std::vector<std::string> row = {std::string(name)};
    for (const Column& column : columns) {
      row.push_back(Cell(kpis.*column.member, column.scale, column.precision, with_ci));
    }
    rows.push_back(std::move(row));
  };
  for (const auto& [name, kpis] : result.queues) add_row(name, kpis);
  add_row("overall", result.overall);

  std::vector<size_t> widths(rows.front().size(), 0);
  for (const auto& row : rows) {
    for (size_t c = 0; c < row.size(); ++c) widths[c] = std::max(widths[c], Width(row[c]));
  }
  size_t total = 0;
  for (size_t w : widths) total += w + 2;
  total -= 2;

  std::string out;
  for (size_t r = 0; r < rows.size(); ++r) {
    // The overall row is set apart by a rule, as is the header.
    if (r == rows.size() - 1) out.append(total, '-').append("\n");
    std::string line;
    for (size_t c = 0; c < rows[r].size(); ++c) {
      if (c > 0) line += "  ";
      Pad(line, rows[r][c], widths[c], /*right=*/c > 0);
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line;
    out += '\n';
    if (r == 0) out.append(total, '-').append("\n");
  }
  return out;
}

}  // namespace

std::string ResultsToTable(const SimulationResult& result) {
  const bool with_ci = result.replications > 1;
  std::string out = fmt::format("scenario: {}   seed: {}   replications: {}\n", result.scenario,
                                result.seed, result.replications);
  if (with_ci) out += "values: mean \u00b1 95% confidence half-width over replications\n";
  out += '\n';
  out += KpiTable(result, kColumns);
  if (result.overall.overflowed.mean > 0 || result.overall.redials.mean > 0) {
    out += "\npolicies (contacts per replication):\n";
    out += KpiTable(result, kPolicyColumns);
  }
  out += '\n';
  out += "agent occupancy: " + Cell(result.occupancy, 100, 1, with_ci) + " %\n";
  return out;
}

std::string IntervalsToCsv(const SimulationResult& result) {
  std::string out = "interval_start_s,queue";
  for (const detail::KpiField& field : kKpiFields) {
    out += fmt::format(",{0},{0}_ci95", field.key);
  }
  out += ",occupancy,occupancy_ci95\n";
  for (const IntervalReport& interval : result.intervals) {
    const std::string start = CsvNumber(absl::ToDoubleSeconds(interval.start));
    for (const auto& [name, kpis] : interval.queues) {
      CsvRow(out, start, name, kpis, interval.occupancy);
    }
    CsvRow(out, start, "overall", interval.overall, interval.occupancy);
  }
  return out;
}

}  // namespace switchboard
