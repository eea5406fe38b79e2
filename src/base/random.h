// A small, fast generator whose sequence is the same on every platform (unlike the standard
// distributions): splitmix64 seeding a xoshiro256** state.
#ifndef SWITCHBOARD_SRC_BASE_RANDOM_H_
#define SWITCHBOARD_SRC_BASE_RANDOM_H_

#include <cstdint>

namespace switchboard::detail {

inline uint64_t SplitMix64(uint64_t& state) {
  uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

class Random {
 public:
  explicit Random(uint64_t seed = 1) { Seed(seed); }
  void Seed(uint64_t seed) {
    for (uint64_t& word : s_) word = SplitMix64(seed);
  }
  uint64_t Next() {
    const uint64_t result = Rotl(s_[1] * 5, 7) * 9;
    const uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = Rotl(s_[3], 45);
    return result;
  }
  // The generator's whole state: equal states give equal sequences.
  const uint64_t* state() const { return s_; }
  // Sets the whole state (a state dump read back); an all-zero state would stay zero.
  void SetState(const uint64_t (&words)[4]) {
    for (int i = 0; i < 4; ++i) s_[i] = words[i];
  }
  static constexpr int kStateWords = 4;
  // Uniform in [0, 1), 53 random bits.
  double Uniform() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }
  // Uniform in (0, 1]: safe to take the logarithm of.
  double UniformPositive() { return 1.0 - Uniform(); }

 private:
  static uint64_t Rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  uint64_t s_[4];
};

}  // namespace switchboard::detail

#endif  // SWITCHBOARD_SRC_BASE_RANDOM_H_
