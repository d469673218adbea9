// The desk's ticket pages: the queue refreshes its counts and says when new tickets arrive;
// the workspace previews the reply, inserts saved replies and article links, searches
// articles; both answer keyboard shortcuts. No inline script: the CSP allows only this file.
(function () {
  "use strict";

  function typing(event) {
    var t = event.target;
    return t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName));
  }

  function insertAtCursor(textarea, text) {
    var start = textarea.selectionStart || 0;
    var end = textarea.selectionEnd || 0;
    var before = textarea.value.slice(0, start);
    var after = textarea.value.slice(end);
    textarea.value = before + text + after;
    var cursor = start + text.length;
    textarea.focus();
    textarea.setSelectionRange(cursor, cursor);
  }

  // ---- the queue -------------------------------------------------------------------------
  var queue = document.querySelector("[data-queue]");
  if (queue) {
    var shown = Array.prototype.map.call(queue.querySelectorAll("tr[data-ticket]"),
      function (row) { return row.getAttribute("data-ticket"); });
    var poll = function () {
      fetch(queue.getAttribute("data-updates"), {credentials: "same-origin",
        headers: {"Accept": "application/json"}})
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (data) {
          if (!data) { return; }
          Object.keys(data.counts).forEach(function (step) {
            var el = queue.querySelector('[data-count="' + step + '"]');
            if (el) { el.textContent = data.counts[step]; }
          });
          var open = queue.querySelector('[data-count="open"]');
          if (open) { open.textContent = data.counts.received + data.counts.investigating; }
          var fresh = data.references.some(function (ref) { return shown.indexOf(ref) < 0; });
          queue.querySelector("[data-fresh]").hidden = !fresh;
        })
        .catch(function () { /* offline for a moment: try again at the next tick */ });
    };
    window.setInterval(poll, 30000);

    var rows = queue.querySelectorAll("tr[data-ticket]");
    var current = -1;
    var focusRow = function (index) {
      if (!rows.length) { return; }
      current = Math.max(0, Math.min(rows.length - 1, index));
      rows[current].querySelector("[data-open]").focus();
    };
    document.addEventListener("keydown", function (event) {
      if (typing(event) || event.ctrlKey || event.metaKey || event.altKey) { return; }
      if (event.key === "j") { focusRow(current + 1); event.preventDefault(); }
      if (event.key === "k") { focusRow(current - 1); event.preventDefault(); }
      if (event.key === "o" && current >= 0) { rows[current].querySelector("[data-open]").click(); }
      if (event.key === "x" && current >= 0) {
        var box = rows[current].querySelector("input[type=checkbox]");
        box.checked = !box.checked;
      }
    });
  }

  // ---- the workspace ---------------------------------------------------------------------
  var space = document.querySelector("[data-workspace]");
  if (!space) { return; }
  var message = space.querySelector("[data-message]");
  var csrf = space.getAttribute("data-csrf");
  var locale = space.getAttribute("data-locale");

  var insertLink = function (slug, title) {
    insertAtCursor(message, "[" + title.replace(/[\[\]]/g, "") + "](" + slug + ")");
  };
  space.addEventListener("click", function (event) {
    var button = event.target.closest("[data-insert]");
    if (button) {
      insertLink(button.getAttribute("data-slug"), button.getAttribute("data-title"));
    }
  });

  var saved = space.querySelector("[data-saved-replies]");
  if (saved) {
    saved.addEventListener("change", function () {
      if (saved.value) { insertAtCursor(message, saved.value); saved.value = ""; }
    });
  }

  var previewButton = space.querySelector("[data-preview-button]");
  previewButton.addEventListener("click", function () {
    fetch(space.getAttribute("data-preview"), {
      method: "POST", credentials: "same-origin",
      headers: {"Content-Type": "application/json", "X-CSRFToken": csrf},
      body: JSON.stringify({message: message.value, locale: locale})
    }).then(function (r) { return r.json(); }).then(function (data) {
      // The server rendered it with the articles' sanitizer (nh3 allowlist).
      space.querySelector("[data-preview-html]").innerHTML = data.html;
      space.querySelector("[data-preview-box]").hidden = false;
    });
  });

  var search = space.querySelector("[data-article-search]");
  var results = space.querySelector("[data-article-results]");
  var timer = null;
  search.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(function () {
      var url = space.getAttribute("data-articles") + "?locale=" + encodeURIComponent(locale) +
        "&q=" + encodeURIComponent(search.value);
      fetch(url, {credentials: "same-origin"}).then(function (r) { return r.json(); })
        .then(function (data) {
          results.textContent = "";
          data.articles.forEach(function (article) {
            var item = document.createElement("li");
            var title = document.createElement("span");
            title.textContent = article.title;
            title.lang = article.locale;
            item.appendChild(title);
            if (article.other_locale) {
              var note = document.createElement("span");
              note.className = "meta";
              note.textContent = " " + results.getAttribute("data-only-other");
              item.appendChild(note);
            } else {
              var button = document.createElement("button");
              button.type = "button";
              button.className = "button-quiet";
              button.setAttribute("data-insert", "");
              button.setAttribute("data-slug", article.slug);
              button.setAttribute("data-title", article.title);
              button.textContent = results.getAttribute("data-insert-label");
              item.appendChild(document.createTextNode(" "));
              item.appendChild(button);
            }
            results.appendChild(item);
          });
        });
    }, 250);
  });

  document.addEventListener("keydown", function (event) {
    if (typing(event) || event.ctrlKey || event.metaKey || event.altKey) { return; }
    if (event.key === "n" && space.getAttribute("data-next")) {
      window.location.href = space.getAttribute("data-next");
    }
    if (event.key === "r") { message.focus(); event.preventDefault(); }
    if (event.key === "i") {
      var first = space.querySelector("[data-suggestions] [data-insert]");
      if (first) { first.click(); event.preventDefault(); }
    }
  });
}());
