// Skills are named by the host and interned to dense ids; agents hold them with a level.
//
// Example:
//   SkillRegistry skills;
//   SkillId support = skills.Intern("support");
//   SkillSet agent_skills;
//   agent_skills.Set(support, 5);
#ifndef SWITCHBOARD_SKILLS_H_
#define SWITCHBOARD_SKILLS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"

namespace switchboard {

using SkillId = uint16_t;
using SkillLevel = uint8_t;

inline constexpr SkillLevel kMinSkillLevel = 1;
inline constexpr SkillLevel kMaxSkillLevel = 100;
// At most this many distinct skill names per engine.
inline constexpr int kMaxSkills = 65535;

// Maps skill names to dense ids. Ids are assigned in order of first use, so the same sequence of
// names gives the same ids on every run. Not thread-safe.
class SkillRegistry {
 public:
  // Returns the id of `name`, creating it on first use. A name is a letter or '_' followed by
  // letters, digits, '_' or '-'; check it with ValidateSkillName first.
  SkillId Intern(std::string_view name);
  // The id of an existing skill, or nullopt.
  std::optional<SkillId> Find(std::string_view name) const;
  const std::string& Name(SkillId id) const { return names_[id]; }
  int size() const { return static_cast<int>(names_.size()); }

 private:
  std::vector<std::string> names_;
  absl::flat_hash_map<std::string, SkillId> ids_;
};

// InvalidArgument naming the problem when `name` is not a usable skill name.
absl::Status ValidateSkillName(std::string_view name);
// InvalidArgument when `level` is outside kMinSkillLevel..kMaxSkillLevel.
absl::Status ValidateSkillLevel(std::string_view name, int level);

// An agent's skills: a small vector sorted by id, so lookups are a binary search over a few
// entries and the memory is two bytes per skill plus the vector.
class SkillSet {
 public:
  // Sets or replaces the level of `skill`.
  void Set(SkillId skill, SkillLevel level);
  // The level held, or 0 when the skill is absent.
  SkillLevel Level(SkillId skill) const;
  bool Has(SkillId skill) const { return Level(skill) > 0; }
  const std::vector<std::pair<SkillId, SkillLevel>>& entries() const { return entries_; }
  int size() const { return static_cast<int>(entries_.size()); }

 private:
  std::vector<std::pair<SkillId, SkillLevel>> entries_;
};

}  // namespace switchboard

#endif  // SWITCHBOARD_SKILLS_H_
