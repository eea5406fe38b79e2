// An engine with options the test knows to be valid (Engine::Create is the only way to pass
// options): shared by the test files.
#ifndef SWITCHBOARD_TESTS_ENGINE_WITH_H_
#define SWITCHBOARD_TESTS_ENGINE_WITH_H_

#include <catch2/catch.hpp>
#include <string>
#include <utility>

#include "absl/status/statusor.h"
#include "switchboard/engine.h"

namespace switchboard {

// Engine::Create(options); fails the test, with Create's message, when it refuses them.
inline Engine EngineWith(EngineOptions options) {
  absl::StatusOr<Engine> engine = Engine::Create(std::move(options));
  INFO(std::string(engine.status().ToString()));
  REQUIRE(engine.ok());
  return *std::move(engine);
}

}  // namespace switchboard

#endif  // SWITCHBOARD_TESTS_ENGINE_WITH_H_
