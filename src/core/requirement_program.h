// The compiled form of a requirement (include/switchboard/requirements.h): a postfix program
// that Requirement::Matches runs over a stack of booleans. Built by Requirement::Parse
// (requirements.cc), immutable afterwards and shared by the copies of a Requirement.
#ifndef SWITCHBOARD_SRC_CORE_REQUIREMENT_PROGRAM_H_
#define SWITCHBOARD_SRC_CORE_REQUIREMENT_PROGRAM_H_

#include <cstdint>
#include <string>

#include "switchboard/skills.h"

namespace switchboard::detail {

// One step of the program.
struct RequirementInstruction {
  enum class Op : uint8_t {
    kTrue,
    kFalse,
    kSkillCompare,      // skill level `compare` number
    kAttributePresent,  // attribute present and truthy
    kAttributeNumber,   // numeric attribute `compare` number
    kAttributeString,   // string attribute ==/!= string
    kNot,
    kAnd,
    kOr,
  };
  enum class Compare : uint8_t { kGe, kGt, kLe, kLt, kEq, kNe };
  Op op = Op::kTrue;
  Compare compare = Compare::kGe;
  SkillId skill = 0;
  double number = 0;
  std::string name;    // attribute name
  std::string string;  // string operand
};

}  // namespace switchboard::detail

#endif  // SWITCHBOARD_SRC_CORE_REQUIREMENT_PROGRAM_H_
