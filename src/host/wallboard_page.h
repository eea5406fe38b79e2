// The wallboard page's template (wallboard_page.cc), filled in by WallboardPage (wallboard.h).
#ifndef SWITCHBOARD_SRC_HOST_WALLBOARD_PAGE_H_
#define SWITCHBOARD_SRC_HOST_WALLBOARD_PAGE_H_

#include <string_view>

namespace switchboard::host {

// One HTML document with its CSS and script, no external resources. Placeholders, each once:
// @@QUEUE_ROWS@@, @@TEAM_ROWS@@, @@TOTAL_ROW@@ (table rows: <tr data-id="ID"> per queue or team,
// whose number cells carry data-key, the value's path in the JSON object of that queue, team or
// the totals, e.g. "agents.available", and data-fmt: "n" a count, "s" seconds, "pct" a ratio
// shown as a percent), @@NOW@@ and @@INTERVAL@@ (escaped text). The script polls /api/stats
// every 500 ms, updates those cells and the update time in place, and reloads the page when
// the queues or teams listed change.
std::string_view WallboardPageTemplate();

}  // namespace switchboard::host

#endif  // SWITCHBOARD_SRC_HOST_WALLBOARD_PAGE_H_
