// The scenario loader's entry points below the text level, for the Python bindings (which turn
// a dict into a toml::table) and the tests. Private: toml++ is not a public dependency.
//
// toml++ is used header-only (TOML_HEADER_ONLY=1, its default): include this header from a
// target that has toml++'s include directory but does not link Debian's
// tomlplusplus::tomlplusplus (which switches to its shared library with TOML_HEADER_ONLY=0).
#ifndef SWITCHBOARD_SRC_SCENARIO_INTERNAL_H_
#define SWITCHBOARD_SRC_SCENARIO_INTERNAL_H_

#include <string_view>

// toml++ 3.3 (Debian 12) checks some of its parser's expectations with assert(), which aborts on
// malformed table headers such as "[[[queue]]", "[[=]]" or "[.a]" in builds without NDEBUG,
// and with Clang and NDEBUG turns the same checks into optimizer assumptions (undefined
// behaviour). With the checks out of the way its parser reports these inputs as syntax errors,
// as GCC release builds already do; user input must never crash the loader. Every translation
// unit that uses toml++ for scenarios includes it through this header, so all see the same
// definitions.
#if __has_include(<toml++/impl/preprocessor.hpp>)
#include <toml++/impl/preprocessor.hpp>
#else
#include <toml++/impl/preprocessor.h>
#endif
#undef TOML_ASSERT
#define TOML_ASSERT(expr) static_assert(true)
#undef TOML_ASSERT_ASSUME
#define TOML_ASSERT_ASSUME(expr) static_assert(true)
#include <toml++/toml.h>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "switchboard/sim.h"

namespace switchboard {

// Validates a parsed scenario and builds the configuration: all the checks of ParseScenario
// except TOML syntax. `source_name` starts every error message and becomes
// SimulationConfig::scenario.
absl::StatusOr<SimulationConfig> ParseScenarioTable(const toml::table& root,
                                                    std::string_view source_name);

// Longest duration a scenario may give anywhere (about 11 years).
inline constexpr absl::Duration kMaxScenarioDuration = absl::Hours(100000);

// A duration written as text: one or more <number><unit> parts with units h, m, s, ms in that
// order, each at most once, numbers with optional decimals: "45s", "15m", "1h30m", "1.5h",
// "250ms". InvalidArgument with a bare reason (no file or key) otherwise, or when above
// kMaxScenarioDuration.
absl::StatusOr<absl::Duration> ParseDurationText(std::string_view text);

}  // namespace switchboard

#endif  // SWITCHBOARD_SRC_SCENARIO_INTERNAL_H_
