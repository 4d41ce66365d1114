// Refreshes the overview's live section (#live) in place: every 15 s while a forum is
// activated, every 60 s otherwise, without reloading the page. The server sends the same
// section as HTML (/fragments/overview), already escaped; scripts in it never run. Without
// JavaScript the page is complete as served and is reloaded by hand.
(function () {
  "use strict";
  var FAST_MS = 15000;
  var SLOW_MS = 60000;

  function delay(live) {
    var asked = parseInt(live.getAttribute("data-refresh-ms") || "", 10);
    if (live.getAttribute("data-live") === "1") {
      return asked > 0 ? asked : FAST_MS;
    }
    return asked > 0 ? 4 * asked : SLOW_MS;
  }

  function schedule() {
    var live = document.getElementById("live");
    if (live) {
      window.setTimeout(refresh, delay(live));
    }
  }

  function refresh() {
    var live = document.getElementById("live");
    if (!live) {
      return;
    }
    fetch(live.getAttribute("data-fragment"), {
      credentials: "same-origin",
      headers: { "Accept": "text/html" },
      cache: "no-store"
    })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("HTTP " + response.status);
        }
        return response.text();
      })
      .then(function (text) {
        var fresh = new DOMParser().parseFromString(text, "text/html").getElementById("live");
        if (fresh) {
          live.replaceWith(document.importNode(fresh, true));
          var count = parseInt(document.body.getAttribute("data-refreshed") || "0", 10);
          document.body.setAttribute("data-refreshed", String(count + 1));
        }
      })
      .catch(function () {
        // Keep what is shown (it says when it was generated) and try again later.
      })
      .then(schedule);
  }

  schedule();
})();
