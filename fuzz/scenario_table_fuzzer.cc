// Fuzzes the scenario loader below the text level: ParseScenarioTable (scenario_internal.h) on a
// toml::table, the form the Python bindings build from a dict (switchboard.scenario_from_dict).
// The bytes are decoded into a tree of tables, arrays, strings, integers, floats, booleans and
// dates, with keys and strings mostly drawn from the scenario vocabulary below, so that the
// fuzzer gets past the key checks into the loader's value checks.
//
// Encoding (fuzz/make_table_seeds.py writes seeds in it from TOML files):
//   root   := count entry*                  a table of `count` entries
//   entry  := key value
//   key    := b                             b < 0xF0: kKeys[b % size]
//           | 0xF0..0xFF len byte*          a raw key (any bytes, even invalid UTF-8)
//   value  := tag payload, by tag % 16:
//     0 string  idx           kStrings[idx % size]       1 string  len byte*
//     2 integer int8                                     3 integer int64 (8 bytes, little end.)
//     4 float   idx           kFloats[idx % size]        5 float   double (8 bytes)
//     6 bool    b (b & 1)                                7 table   count entry*
//     8 array   count value*                             9 chain   depth kind value: `depth`
//                                                           (2 bytes) tables (kind even, under
//                                                           kKeys[kind/2]) or arrays around it
//     10 date   y m d          11 time  h m s             12 date-time  date time
//     13..15    as 0..2
// Missing bytes read as 0, so every input decodes; the tree is capped at kMaxNodes nodes.
// SWITCHBOARD_FUZZ_TRACE=1 prints the decoded table as TOML.
//
// Besides the sanitizers, checks that a refusal is InvalidArgument, one line, starting with the
// source name, and that an accepted configuration passes ValidateSimulation with the work limits
// raised (as scenario_toml_fuzzer.cc).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <limits>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "loader_checks.h"
#include "scenario/scenario_internal.h"
#include "switchboard/sim.h"

namespace switchboard {
namespace {

constexpr std::string_view kSource = "dict";
constexpr int kMaxDepth = 24;          // of the recursive decoder
constexpr int kMaxChain = 512;         // of one chain (built without recursion)
constexpr int kMaxNodes = 4096;

// Every key the loader knows (src/scenario/scenario_tables.cc), and a few it does not.
constexpr std::string_view kKeys[] = {
    "simulation", "engine", "queue", "traffic", "agents",                              // 0-4
    "seed", "duration", "warmup", "replications", "interval",                          // 5-9
    "answer_delay", "no_answer_probability", "offer_timeout", "rona_cooldown",         // 10-13
    "max_consecutive_misses", "reject_delay", "timeout_delay", "aging_unit",           // 14-17
    "occupancy_window", "name", "strategy", "priority", "require",                     // 18-22
    "service_level", "max_length", "threshold", "target", "queue",                     // 23-27
    "channel", "arrivals", "handle", "patience", "wrap_up",                            // 28-32
    "rate", "per", "rates", "dist", "mean", "sd", "values",                            // 33-39
    "count", "skills", "capacity", "shift", "breaks", "start", "end",                  // 40-46
    "voice", "chat", "email", "sms", "social", "web", "fax", "callback", "outbound",   // 47-55
    "support", "english", "step", "overflow", "cuont", "", "x",                        // 56-62
};
constexpr size_t kKeyCount = sizeof(kKeys) / sizeof(kKeys[0]);

constexpr std::string_view kStrings[] = {
    "8h", "1h", "30m", "15m", "45s", "30s", "1s", "250ms", "0s", "1h30m", "1.5h", "100000h",
    "support", "sales", "voice", "chat", "email", "exponential", "lognormal", "constant",
    "gamma", "empirical", "none", "longest_idle", "most_skilled", "least_occupied",
    "fewest_contacts", "round_robin", "random", "host_score", "agent", "", "-1s", "1e309h",
    "nan", "inf", "\xcf\xbf\x77", "\xff", "h", "m", "s", "ms", "2h", "4m",
};
constexpr size_t kStringCount = sizeof(kStrings) / sizeof(kStrings[0]);

constexpr double kFloats[] = {0.0,  -0.0, 0.5,    1.0,      -1.0,  0.8,    1e-300, 1e12,
                              1e308, 3600, 1e100, INFINITY, -INFINITY, NAN, 100000.5, 2.5};
constexpr size_t kFloatCount = sizeof(kFloats) / sizeof(kFloats[0]);

class Decoder {
 public:
  Decoder(const uint8_t* data, size_t size) : data_(data), size_(size) {}

  toml::table Root() {
    toml::table root;
    Entries(root, 0);
    return root;
  }

 private:
  uint8_t Byte() { return pos_ < size_ ? data_[pos_++] : 0; }
  uint64_t Bytes(int n) {
    uint64_t v = 0;
    for (int i = 0; i < n; ++i) v |= static_cast<uint64_t>(Byte()) << (8 * i);
    return v;
  }
  std::string Raw() {
    const size_t n = Byte();
    std::string s;
    for (size_t i = 0; i < n && pos_ < size_; ++i) s.push_back(static_cast<char>(Byte()));
    return s;
  }
  bool Done() const { return pos_ >= size_ || nodes_ >= kMaxNodes; }

  std::string Key() {
    const uint8_t b = Byte();
    if (b >= 0xF0) return Raw();
    return std::string(kKeys[b % kKeyCount]);
  }

  void Entries(toml::table& table, int depth) {
    const int count = Byte();
    for (int i = 0; i < count && !Done(); ++i) {
      std::string key = Key();
      std::unique_ptr<toml::node> value = Value(depth + 1);
      table.insert_or_assign(std::move(key), std::move(*value));
    }
  }

  std::unique_ptr<toml::node> Value(int depth) {
    ++nodes_;
    const uint8_t tag = Byte() % 16;
    switch (tag) {
      case 0:
      case 13:
        return std::make_unique<toml::value<std::string>>(
            std::string(kStrings[Byte() % kStringCount]));
      case 1:
      case 14:
        return std::make_unique<toml::value<std::string>>(Raw());
      case 2:
      case 15:
        return std::make_unique<toml::value<int64_t>>(static_cast<int8_t>(Byte()));
      case 3:
        return std::make_unique<toml::value<int64_t>>(static_cast<int64_t>(Bytes(8)));
      case 4:
        return std::make_unique<toml::value<double>>(kFloats[Byte() % kFloatCount]);
      case 5: {
        const uint64_t bits = Bytes(8);
        double d;
        std::memcpy(&d, &bits, sizeof d);
        return std::make_unique<toml::value<double>>(d);
      }
      case 6:
        return std::make_unique<toml::value<bool>>((Byte() & 1) != 0);
      case 7: {
        auto table = std::make_unique<toml::table>();
        if (depth < kMaxDepth) Entries(*table, depth);
        return table;
      }
      case 8: {
        auto array = std::make_unique<toml::array>();
        const int count = Byte();
        for (int i = 0; i < count && depth < kMaxDepth && !Done(); ++i) {
          std::unique_ptr<toml::node> element = Value(depth + 1);
          array->push_back(std::move(*element));
        }
        return array;
      }
      case 9: {
        const int chain = static_cast<int>(Bytes(2) % (kMaxChain + 1));
        const uint8_t kind = Byte();
        std::unique_ptr<toml::node> inner = Value(kMaxDepth);  // a leaf or an empty container
        for (int i = 0; i < chain; ++i) {
          if (kind % 2 == 0) {
            auto table = std::make_unique<toml::table>();
            table->insert_or_assign(std::string(kKeys[(kind / 2) % kKeyCount]), std::move(*inner));
            inner = std::move(table);
          } else {
            auto array = std::make_unique<toml::array>();
            array->push_back(std::move(*inner));
            inner = std::move(array);
          }
        }
        return inner;
      }
      case 10:
        return std::make_unique<toml::value<toml::date>>(Date());
      case 11:
        return std::make_unique<toml::value<toml::time>>(Time());
      default: {
        const toml::date date = Date();
        return std::make_unique<toml::value<toml::date_time>>(date, Time());
      }
    }
  }
  toml::date Date() {
    const int year = static_cast<int>(Bytes(2));
    const int month = Byte();
    return toml::date{year, month, Byte()};
  }
  toml::time Time() {
    const int hour = Byte();
    const int minute = Byte();
    return toml::time{hour, minute, Byte()};
  }

  const uint8_t* data_;
  size_t size_;
  size_t pos_ = 0;
  int nodes_ = 0;
};

}  // namespace
}  // namespace switchboard

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace switchboard;
  const toml::table root = Decoder(data, size).Root();
  // SWITCHBOARD_FUZZ_TRACE=1: the decoded table, as TOML, on stderr (docs/fuzzing.md).
  static const bool trace = std::getenv("SWITCHBOARD_FUZZ_TRACE") != nullptr;
  if (trace) std::cerr << root << "\n";
  absl::StatusOr<SimulationConfig> config = ParseScenarioTable(root, kSource);
  if (!fuzz::CheckLoaderAnswer("scenario_table_fuzzer", config, kSource)) return 0;
  return 0;
}
