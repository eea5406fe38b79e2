#include "switchboard/skills.h"

#include <algorithm>
#include <array>
#include <cassert>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/string_view.h"
#include "fmt/format.h"
#include "base/status_macros.h"
#include "switchboard/limits.h"

namespace switchboard {
namespace {

// The words of the requirement language (see requirements.h); a skill named like one could
// never be referred to. Keep in sync with the lexer in requirements.cc.
constexpr std::array<std::string_view, 5> kKeywords = {"and", "or", "not", "true", "false"};

}  // namespace

SkillId SkillRegistry::Intern(std::string_view name) {
  if (auto it = ids_.find(detail::AbslView(name)); it != ids_.end()) return it->second;
  // Callers that can run out of ids (Requirement::Parse, AddAgent) check size() first.
  assert(size() < kMaxSkills);
  const auto id = static_cast<SkillId>(names_.size());
  names_.emplace_back(name);
  ids_.emplace(names_.back(), id);
  return id;
}

std::optional<SkillId> SkillRegistry::Find(std::string_view name) const {
  if (auto it = ids_.find(detail::AbslView(name)); it != ids_.end()) return it->second;
  return std::nullopt;
}

absl::Status ValidateSkillName(std::string_view name) {
  if (name.empty()) return absl::InvalidArgumentError("invalid skill name '': must not be empty");
  if (name.size() > kMaxNameBytes || !IsValidUtf8(name)) {
    return CheckText("skill name", name, kMaxNameBytes);
  }
  if (!absl::ascii_isalpha(name[0]) && name[0] != '_') {
    return absl::InvalidArgumentError(
        fmt::format("invalid skill name '{}': must start with a letter or '_'", name));
  }
  const bool valid_rest = std::all_of(name.begin() + 1, name.end(), [](char c) {
    return absl::ascii_isalnum(c) || c == '_' || c == '-';
  });
  if (!valid_rest) {
    return absl::InvalidArgumentError(fmt::format(
        "invalid skill name '{}': may contain only letters, digits, '_' and '-'", name));
  }
  if (std::find(kKeywords.begin(), kKeywords.end(), name) != kKeywords.end()) {
    return absl::InvalidArgumentError(
        fmt::format("invalid skill name '{}': it is a keyword of the requirement language", name));
  }
  return absl::OkStatus();
}

absl::Status ValidateSkillLevel(std::string_view name, int level) {
  if (level < kMinSkillLevel || level > kMaxSkillLevel) {
    return absl::InvalidArgumentError(fmt::format("skill '{}' level {} is out of range {}..{}",
                                                  name, level, kMinSkillLevel, kMaxSkillLevel));
  }
  return absl::OkStatus();
}

void SkillSet::Set(SkillId skill, SkillLevel level) {
  auto it = std::lower_bound(entries_.begin(), entries_.end(), skill,
                             [](const auto& entry, SkillId id) { return entry.first < id; });
  if (it != entries_.end() && it->first == skill) {
    it->second = level;
  } else {
    entries_.insert(it, {skill, level});
  }
}

SkillLevel SkillSet::Level(SkillId skill) const {
  auto it = std::lower_bound(entries_.begin(), entries_.end(), skill,
                             [](const auto& entry, SkillId id) { return entry.first < id; });
  return it != entries_.end() && it->first == skill ? it->second : 0;
}

}  // namespace switchboard
