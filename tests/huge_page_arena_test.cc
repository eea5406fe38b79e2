// HugePageArena: the heap until kHeapBytes have been asked for, then chunks carved from 2 MiB
// blocks aligned to 2 MiB; and ChunkedVector on top of it, whose records must behave the same
// wherever they live.
#include "base/huge_page_arena.h"

#include <catch2/catch.hpp>
#include <cstdint>
#include <vector>

#include "core/records.h"
#include "engine_with.h"
#include "switchboard/engine.h"

namespace switchboard::detail {
namespace {

constexpr size_t kChunk = 32 * 1024;

uintptr_t Address(const void* p) { return reinterpret_cast<uintptr_t>(p); }

TEST_CASE("The arena sends chunks to the heap until kHeapBytes were requested") {
  HugePageArena arena;
  size_t requested = 0;
  while (requested < HugePageArena::kHeapBytes) {
    REQUIRE(arena.Allocate(kChunk) == nullptr);
    requested += kChunk;
  }
#if defined(__linux__)
  REQUIRE(arena.Allocate(kChunk) != nullptr);
#endif
}

#if defined(__linux__)
TEST_CASE("Past the threshold, chunks are carved in order from aligned 2 MiB blocks") {
  const int64_t mapped_before = HugePageArena::MappedBytes();
  {
    HugePageArena arena;
    for (size_t n = 0; n < HugePageArena::kHeapBytes; n += kChunk) arena.Allocate(kChunk);
    std::vector<char*> chunks;
    // 2 MiB holds 64 chunks of 32 KiB; 65 need a second block.
    for (int i = 0; i < 65; ++i) chunks.push_back(static_cast<char*>(arena.Allocate(kChunk)));
    REQUIRE(Address(chunks[0]) % HugePageArena::kBlockBytes == 0);
    for (int i = 1; i < 64; ++i) REQUIRE(chunks[i] == chunks[i - 1] + kChunk);
    REQUIRE(Address(chunks[64]) % HugePageArena::kBlockBytes == 0);
    REQUIRE(HugePageArena::MappedBytes() ==
            mapped_before + 2 * static_cast<int64_t>(HugePageArena::kBlockBytes));
    // The memory is usable, all of it.
    for (char* chunk : chunks) {
      for (size_t i = 0; i < kChunk; i += 4096) chunk[i] = 1;
    }
    // Chunks of other sizes follow in the same block, 64-byte aligned.
    char* odd = static_cast<char*>(arena.Allocate(64 * 1000));
    REQUIRE(odd == chunks[64] + kChunk);
    REQUIRE(Address(arena.Allocate(64)) % 64 == 0);
  }
  REQUIRE(HugePageArena::MappedBytes() == mapped_before);  // the blocks are given back
}
#endif

// Counts live instances, to check that records in the arena are constructed and destroyed.
struct Counted {
  static inline int live = 0;
  int64_t value = 0;
  char padding[120] = {};
  Counted() { ++live; }
  ~Counted() { --live; }
};

TEST_CASE("A ChunkedVector keeps its records and their addresses across the heap and the arena") {
  HugePageArena arena;
  {
    ChunkedVector<Counted> records(&arena);
    // 128-byte records, 256 per chunk: 16 MiB on the heap, then 8 MiB in the arena.
    constexpr size_t kCount = 3 * (HugePageArena::kHeapBytes / 128) / 2;
    std::vector<const Counted*> addresses;
    for (size_t i = 0; i < kCount; ++i) {
      Counted& record = records.emplace_back();
      REQUIRE(record.value == 0);  // value-initialized, wherever it lives
      record.value = static_cast<int64_t>(i) * 7;
      addresses.push_back(&record);
    }
    REQUIRE(records.size() == kCount);
    for (size_t i = 0; i < kCount; ++i) {
      REQUIRE(&records[i] == addresses[i]);
      REQUIRE(records[i].value == static_cast<int64_t>(i) * 7);
    }
    REQUIRE(Counted::live == static_cast<int>(kCount));  // whole chunks: kCount is a multiple
  }
  REQUIRE(Counted::live == 0);
}

// 40k agents hold about 18 MiB of records: the last few thousand live in the arena.
TEST_CASE("An engine past the threshold routes to agents whose records are in the arena") {
  const int64_t mapped_before = Engine::MappedBytes();
  {
    Engine engine;
    const absl::Time now = absl::FromUnixSeconds(1'700'000'000);
    REQUIRE(engine.AddQueue(now, {.id = "sales", .requirement = "sales >= 1"}).ok());
    constexpr int kAgents = 40'000;
    for (int i = 0; i < kAgents; ++i) {
      const std::string id = "agent" + std::to_string(i);
      REQUIRE(engine.AddAgent(now, {.id = id, .skills = {{"sales", 1 + i % 100}}}).ok());
      REQUIRE(engine.Login(now, id, /*ready=*/i == kAgents - 1).ok());
    }
#if defined(__linux__)
    REQUIRE(Engine::MappedBytes() > mapped_before);
#endif
    // Only the last agent, added past the threshold, is ready: the contact goes to it.
    REQUIRE(engine.AddContact(now, {.id = "c1", .queue = "sales"}).ok());
    REQUIRE(engine.GetContact("c1")->agent == "agent39999");
    REQUIRE(engine.Accept(now, "agent39999", "c1").ok());
    REQUIRE(engine.Complete(now, "agent39999", "c1").ok());
    REQUIRE(engine.GetAgentStats("agent39999")->contacts_handled == 1);
  }
  REQUIRE(Engine::MappedBytes() == mapped_before);
}

TEST_CASE("With huge_page_records off, every record stays on the heap") {
  HugePageArena arena;
  arena.set_enabled(false);
  for (size_t requested = 0; requested < 2 * HugePageArena::kHeapBytes; requested += 64 * 1024) {
    REQUIRE(arena.Allocate(64 * 1024) == nullptr);
  }
  const int64_t mapped_before = Engine::MappedBytes();
  EngineOptions options;
  options.huge_page_records = false;
  options.record_events = false;
  Engine engine = EngineWith(options);
  const absl::Time now = absl::FromUnixSeconds(1'700'000'000);
  for (int i = 0; i < 40'000; ++i) {
    REQUIRE(engine.AddAgent(now, {.id = "agent" + std::to_string(i)}).ok());
  }
  REQUIRE(Engine::MappedBytes() == mapped_before);
  REQUIRE(engine.GetAgentStats("agent39999").ok());
}

}  // namespace
}  // namespace switchboard::detail
