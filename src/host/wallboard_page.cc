#include "host/wallboard_page.h"

namespace switchboard::host {

std::string_view WallboardPageTemplate() {
  return R"html(<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Switchboard wallboard</title>
<style>
  body { font-family: system-ui, sans-serif; margin: 1.5rem; color: #1b1f24; background: #f6f7f9; }
  h1 { font-size: 1.4rem; margin: 0 0 .25rem; }
  h2 { font-size: 1.1rem; margin: 1.5rem 0 .5rem; }
  #status { color: #555; margin: 0; }
  body.stale #status { color: #b00020; font-weight: bold; }
  body.stale td { color: #999; }
  table { border-collapse: collapse; background: #fff; min-width: 40rem; }
  th, td { border: 1px solid #d0d4da; padding: .35rem .7rem; }
  thead th { background: #e9ecf0; font-weight: 600; font-size: .85rem; }
  tbody th { text-align: left; font-weight: 600; }
  td { text-align: right; font-variant-numeric: tabular-nums; font-size: 1.1rem; }
  td.empty { text-align: left; color: #777; font-size: .9rem; }
  tfoot th, tfoot td { font-weight: 700; background: #f0f2f5; }
</style>
</head>
<body>
<h1>Switchboard wallboard</h1>
<p id="status">Engine time <span id="now">@@NOW@@</span>
  &middot; interval from <span id="interval">@@INTERVAL@@</span>
  &middot; last update <span id="updated">at page load</span></p>

<h2>Queues</h2>
<table id="queues">
<thead><tr><th scope="col">Queue</th><th scope="col">Waiting</th>
  <th scope="col">Longest wait (s)</th><th scope="col">Service level now</th>
  <th scope="col">Service level interval</th><th scope="col">Offered</th>
  <th scope="col">Answered</th><th scope="col">Abandoned</th>
  <th scope="col">Logged out</th><th scope="col">Not ready</th><th scope="col">Available</th>
  <th scope="col">Reserved</th><th scope="col">Busy</th><th scope="col">Wrap-up</th></tr></thead>
<tbody>
@@QUEUE_ROWS@@
</tbody>
<tfoot>
@@TOTAL_ROW@@
</tfoot>
</table>

<h2>Teams</h2>
<table id="teams">
<thead><tr><th scope="col">Team</th>
  <th scope="col">Logged out</th><th scope="col">Not ready</th><th scope="col">Available</th>
  <th scope="col">Reserved</th><th scope="col">Busy</th><th scope="col">Wrap-up</th>
  <th scope="col">Offered</th><th scope="col">Answered</th>
  <th scope="col">Service level interval</th><th scope="col">Handle time (s)</th>
  <th scope="col">Occupancy</th></tr></thead>
<tbody>
@@TEAM_ROWS@@
</tbody>
</table>
<p>Counts and service levels "interval" are of the current statistics interval up to now;
  "service level now" is since the queue was added. A dash: not available.</p>

<script>
"use strict";
const FORMATS = {
  n: (v) => String(v),
  s: (v) => String(Math.floor(v)),
  pct: (v) => (v * 100).toFixed(1) + "%",
};

function lookup(object, path) {
  let value = object;
  for (const key of path.split(".")) {
    if (value === null || value === undefined) return null;
    value = value[key];
  }
  return value === undefined ? null : value;
}

function fill(row, object) {
  for (const cell of row.querySelectorAll("[data-key]")) {
    const value = lookup(object, cell.dataset.key);
    const text = value === null ? "\u2013" : FORMATS[cell.dataset.fmt](value);
    if (cell.textContent !== text) cell.textContent = text;
  }
}

function rowsOf(table) {
  return Array.from(document.querySelectorAll("#" + table + " tbody tr[data-id]"));
}

function sameIds(rows, items) {
  return rows.length === items.length && rows.every((row, i) => row.dataset.id === items[i].id);
}

async function poll() {
  try {
    const response = await fetch("/api/stats", {cache: "no-store"});
    if (!response.ok) throw new Error("HTTP " + response.status);
    const stats = await response.json();
    const queueRows = rowsOf("queues");
    const teamRows = rowsOf("teams");
    if (!sameIds(queueRows, stats.queues) || !sameIds(teamRows, stats.teams)) {
      location.reload();  // a queue or team came or went: the server renders the new rows
      return;
    }
    stats.queues.forEach((queue, i) => fill(queueRows[i], queue));
    stats.teams.forEach((team, i) => fill(teamRows[i], team));
    fill(document.querySelector("#queues tfoot tr"), stats.totals);
    document.getElementById("now").textContent = stats.now === null ? "none yet" : stats.now;
    document.getElementById("interval").textContent =
        stats.interval === null ? "\u2013" : stats.interval.start;
    document.getElementById("updated").textContent = new Date().toLocaleTimeString();
    document.body.classList.remove("stale");
  } catch (error) {
    document.getElementById("updated").textContent =
        "failed at " + new Date().toLocaleTimeString() + " (" + error.message + ")";
    document.body.classList.add("stale");
  } finally {
    setTimeout(poll, 500);
  }
}

poll();
</script>
</body>
</html>
)html";
}

}  // namespace switchboard::host
