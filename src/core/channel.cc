#include "switchboard/channel.h"

#include <array>
#include <cstddef>
#include <optional>
#include <string_view>

namespace switchboard {
namespace {

// Indexed by the enum's value, which runs 0..kChannelCount-1.
constexpr std::array<std::string_view, kChannelCount> kChannelNames = {
    "voice", "chat", "email", "sms", "social", "web", "fax", "callback", "outbound"};

}  // namespace

std::string_view ChannelName(Channel channel) {
  return kChannelNames[static_cast<size_t>(channel)];
}

std::optional<Channel> ParseChannel(std::string_view name) {
  for (Channel channel : kAllChannels) {
    if (ChannelName(channel) == name) return channel;
  }
  return std::nullopt;
}

}  // namespace switchboard
