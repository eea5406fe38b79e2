// Fuzzes the requirement expression parser (requirements.h) and the evaluation of what it parses.
//
// Input: the expression text, optionally followed by a NUL byte and bytes that describe one agent
// (skills and attributes; see MakeAgent). Besides the sanitizers, checks what requirements.h
// promises:
//  - a refused expression leaves the SkillRegistry unchanged;
//  - a parsed one keeps its text; its mentioned skills are distinct registered ids, its required
//    skills a subset of them; the empty/blank text is the requirement every agent meets;
//  - an agent that matches holds every required skill; Score is within 0..100 per skill;
//  - "(text) && true" and "!(text)", when they parse, agree with the text (a differential check
//    of precedence and negation).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "switchboard/attributes.h"
#include "switchboard/requirements.h"
#include "switchboard/skills.h"

namespace switchboard {
namespace {

void Require(bool condition, const char* what) {
  if (!condition) {
    std::fprintf(stderr, "requirement_fuzzer: violated: %s\n", what);
    std::abort();
  }
}

// Skill and attribute names the agent bytes draw from: ones the seeds mention and one that
// nothing mentions.
constexpr std::string_view kNames[] = {"support", "english", "japanese", "trainee", "tier",
                                       "a",       "b",       "language", "floor",   "unused"};
constexpr size_t kNameCount = sizeof(kNames) / sizeof(kNames[0]);

// Three bytes per entry: kind/name, then value bytes. Skills at levels 0..100 (0: not held);
// attributes as a number or one of a few strings.
void MakeAgent(std::string_view bytes, SkillRegistry& skills, SkillSet& agent_skills,
               Attributes& attributes) {
  for (size_t i = 0; i + 3 <= bytes.size() && i < 3 * 16; i += 3) {
    const auto b0 = static_cast<uint8_t>(bytes[i]);
    const auto b1 = static_cast<uint8_t>(bytes[i + 1]);
    const auto b2 = static_cast<uint8_t>(bytes[i + 2]);
    const std::string_view name = kNames[(b0 >> 2) % kNameCount];
    switch (b0 & 3) {
      case 0:
      case 1: {
        // Only skills the registry knows (the parser interned those the text mentions).
        if (std::optional<SkillId> id = skills.Find(name)) {
          const int level = b1 % 101;
          if (level > 0) agent_skills.Set(*id, static_cast<SkillLevel>(level));
        }
        break;
      }
      case 2:
        attributes[std::string(name)] = static_cast<double>(static_cast<int8_t>(b1)) + b2 / 256.0;
        break;
      default: {
        constexpr std::string_view kValues[] = {"gold", "ja", "en", "3", "", "true", "tokyo"};
        attributes[std::string(name)] = std::string(kValues[b1 % 7]);
        break;
      }
    }
  }
}

void CheckVariant(const std::string& text, SkillRegistry& skills, const SkillSet& agent_skills,
                  const Attributes& attributes, bool expected) {
  absl::StatusOr<Requirement> variant = Requirement::Parse(text, skills);
  if (variant.ok()) {
    Require(variant->Matches(agent_skills, attributes) == expected,
            "a wrapped or negated expression disagrees with the expression");
  }
}

}  // namespace
}  // namespace switchboard

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace switchboard;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const size_t split = input.find('\0');
  const std::string_view text = input.substr(0, split);
  const std::string_view agent_bytes =
      split == std::string_view::npos ? std::string_view() : input.substr(split + 1);

  SkillRegistry skills;
  skills.Intern("support");
  skills.Intern("english");
  const int registered = skills.size();

  absl::StatusOr<Requirement> requirement = Requirement::Parse(text, skills);
  if (!requirement.ok()) {
    Require(skills.size() == registered, "a refused expression changed the skill registry");
    Require(!requirement.status().message().empty(), "a refusal without a message");
    return 0;
  }
  Require(requirement->text() == text, "text() differs from the parsed text");
  const std::vector<SkillId>& mentioned = requirement->mentioned_skills();
  for (size_t i = 0; i < mentioned.size(); ++i) {
    Require(mentioned[i] < skills.size(), "a mentioned skill is not registered");
    for (size_t j = 0; j < i; ++j) Require(mentioned[i] != mentioned[j], "skill mentioned twice");
  }
  for (SkillId id : requirement->required_skills()) {
    bool found = false;
    for (SkillId m : mentioned) found = found || m == id;
    Require(found, "a required skill is not among the mentioned ones");
  }
  if (text.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    Require(requirement->always_true(), "blank text is not the always-true requirement");
  }

  SkillSet agent_skills;
  Attributes attributes;
  MakeAgent(agent_bytes, skills, agent_skills, attributes);
  const bool matches = requirement->Matches(agent_skills, attributes);
  if (requirement->always_true()) Require(matches, "the always-true requirement did not match");
  if (matches) {
    for (SkillId id : requirement->required_skills()) {
      Require(agent_skills.Has(id), "a matching agent lacks a required skill");
    }
  }
  const int score = requirement->Score(agent_skills);
  Require(score >= 0 && score <= 100 * static_cast<int>(mentioned.size()), "score out of range");

  if (!requirement->always_true() && text.size() < 4096) {
    const std::string body(text);
    CheckVariant("(" + body + ") && true", skills, agent_skills, attributes, matches);
    CheckVariant("!(" + body + ")", skills, agent_skills, attributes, !matches);
  }
  return 0;
}
