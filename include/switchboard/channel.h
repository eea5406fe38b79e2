// Channels a contact can arrive on, and the names hosts and scenario files use for them.
#ifndef SWITCHBOARD_CHANNEL_H_
#define SWITCHBOARD_CHANNEL_H_

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

namespace switchboard {

enum class Channel : uint8_t {
  kVoice,
  kChat,
  kEmail,
  kSms,
  kSocial,
  kWeb,
  kFax,
  kCallback,
  kOutbound,
};

inline constexpr int kChannelCount = 9;

inline constexpr std::array<Channel, kChannelCount> kAllChannels = {
    Channel::kVoice, Channel::kChat,     Channel::kEmail,    Channel::kSms,     Channel::kSocial,
    Channel::kWeb,   Channel::kFax,      Channel::kCallback, Channel::kOutbound};

// Lower-case name: "voice", "chat", "email", "sms", "social", "web", "fax", "callback",
// "outbound".
std::string_view ChannelName(Channel channel);

// Inverse of ChannelName; nullopt for an unknown name.
std::optional<Channel> ParseChannel(std::string_view name);

}  // namespace switchboard

#endif  // SWITCHBOARD_CHANNEL_H_
