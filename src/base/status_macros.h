// The one helper for early return on error, in the style of absl's internal macros.
#ifndef SWITCHBOARD_SRC_BASE_STATUS_MACROS_H_
#define SWITCHBOARD_SRC_BASE_STATUS_MACROS_H_

#include <string_view>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace switchboard::detail {

// Debian's Abseil has its own string_view type; these bridge it and the standard one.
inline std::string_view StdView(absl::string_view s) { return {s.data(), s.size()}; }
inline absl::string_view AbslView(std::string_view s) { return {s.data(), s.size()}; }

// The message of a status as a standard string_view (for fmt and std::string).
inline std::string_view Message(const absl::Status& status) { return StdView(status.message()); }

}  // namespace switchboard::detail

#define SWITCHBOARD_RETURN_IF_ERROR(expr)         \
  do {                                            \
    ::absl::Status switchboard_status_ = (expr);  \
    if (!switchboard_status_.ok()) return switchboard_status_; \
  } while (0)

#endif  // SWITCHBOARD_SRC_BASE_STATUS_MACROS_H_
