// A set of agent indexes as a bitmap with a summary level (one bit per 64-bit word that has a
// member): insert and erase in O(1), and "the first member from i on" in a couple of word scans
// (at most one summary word per 4,096 agents). Round robin asks exactly that on every decision;
// an ordered tree would answer it in O(log n) cache misses and pay as much again on each insert
// and erase. Memory: one bit per agent index up to the largest member, whoever is a member.
#ifndef SWITCHBOARD_SRC_INDEX_AGENT_BITMAP_H_
#define SWITCHBOARD_SRC_INDEX_AGENT_BITMAP_H_

#include <cstddef>
#include <cstdint>
#include <vector>

#include "base/ids.h"

namespace switchboard::detail {

class AgentBitmap {
 public:
  // `agent` must not be a member.
  bool Contains(AgentIndex agent) const {
    const size_t word = agent / 64;
    return word < words_.size() && (words_[word] & Bit(agent)) != 0;
  }
  void Insert(AgentIndex agent) {
    const size_t word = agent / 64;
    if (word >= words_.size()) {
      words_.resize(word + 1, 0);
      summary_.resize(word / 64 + 1, 0);
    }
    words_[word] |= Bit(agent);
    summary_[word / 64] |= Bit(static_cast<uint32_t>(word));
  }
  // `agent` must be a member.
  void Erase(AgentIndex agent) {
    const size_t word = agent / 64;
    words_[word] &= ~Bit(agent);
    if (words_[word] == 0) summary_[word / 64] &= ~Bit(static_cast<uint32_t>(word));
  }
  // The smallest member not below `from`; kNoIndex when there is none.
  AgentIndex NextFrom(uint64_t from) const {
    size_t word = from / 64;
    if (word >= words_.size()) return kNoIndex;
    const uint64_t here = words_[word] & (~uint64_t{0} << (from % 64));
    if (here != 0) return At(word, here);
    // The next word with a member, through the summary.
    ++word;
    size_t group = word / 64;
    if (group >= summary_.size()) return kNoIndex;
    uint64_t groups = summary_[group] & (~uint64_t{0} << (word % 64));
    while (groups == 0) {
      if (++group == summary_.size()) return kNoIndex;
      groups = summary_[group];
    }
    word = group * 64 + static_cast<size_t>(__builtin_ctzll(groups));
    return At(word, words_[word]);
  }

 private:
  static uint64_t Bit(uint32_t i) { return uint64_t{1} << (i % 64); }
  static AgentIndex At(size_t word, uint64_t bits) {
    return static_cast<AgentIndex>(word * 64 + static_cast<size_t>(__builtin_ctzll(bits)));
  }

  std::vector<uint64_t> words_;    // bit a % 64 of words_[a / 64]: agent a is a member
  std::vector<uint64_t> summary_;  // bit w % 64 of summary_[w / 64]: words_[w] != 0
};

}  // namespace switchboard::detail

#endif  // SWITCHBOARD_SRC_INDEX_AGENT_BITMAP_H_
