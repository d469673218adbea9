/* The contact form: while the customer types a subject and description, show up to three
   matching articles (GET /api/tickets/suggestions). Links open in a new tab so nothing typed
   is lost; they go through /<locale>/contact/articles/<slug>, which logs the opening. On the
   review page, the Send button is disabled after the first click (the server-side idempotency
   key is what really prevents a duplicate). Chosen screenshots are checked against the size
   limits before sending, so a customer learns at once (not after a long upload) that they are
   too large, with nothing typed lost; the server checks the same and shows the form again.
   The form works without this file. */
(function () {
  "use strict";
  var DEBOUNCE_MS = 400;
  var MIN_CHARS = 4;

  function setUpSuggestions(form) {
    var box = form.querySelector("[data-ticket-suggestions]");
    var list = box && box.querySelector("ul");
    var sources = form.querySelectorAll("[data-suggest-source]");
    var url = form.getAttribute("data-suggest-url");
    var locale = form.getAttribute("data-locale");
    var timer = null, last = null, request = null;
    if (!box || !list || !url) { return; }

    function show(items) {
      while (list.firstChild) { list.removeChild(list.firstChild); }
      items.forEach(function (item) {
        var li = document.createElement("li");
        var a = document.createElement("a");
        a.href = item.url;
        a.target = "_blank";
        a.rel = "noopener";
        a.textContent = item.title;
        li.appendChild(a);
        list.appendChild(li);
      });
      box.hidden = items.length === 0;
    }

    function fetchSuggestions() {
      var text = Array.prototype.map.call(sources, function (el) { return el.value; }).join("\n").trim();
      if (text.length < MIN_CHARS || text === last) { return; }
      last = text;
      if (request) { request.abort(); }
      request = new XMLHttpRequest();
      request.open("GET", url + "?locale=" + encodeURIComponent(locale) +
                   "&text=" + encodeURIComponent(text.slice(0, 1000)));
      request.responseType = "json";
      request.onload = function () {
        if (request.status === 200 && request.response) { show(request.response.suggestions || []); }
      };
      request.send();
    }

    Array.prototype.forEach.call(sources, function (el) {
      el.addEventListener("input", function () {
        window.clearTimeout(timer);
        timer = window.setTimeout(fetchSuggestions, DEBOUNCE_MS);
      });
    });
    fetchSuggestions();
  }

  function guardSend(form) {
    form.addEventListener("submit", function (event) {
      var button = event.submitter;
      if (button && button.hasAttribute("data-send")) {
        window.setTimeout(function () { button.disabled = true; }, 0);
      }
    });
  }

  function checkFiles(input) {
    var note = document.querySelector("[data-check-for=" + input.name + "]");
    var maxFile = Number(input.getAttribute("data-max-file-bytes"));
    var maxFiles = Number(input.getAttribute("data-max-files-bytes"));
    var total = 0, large = [], message = "";
    Array.prototype.forEach.call(input.files || [], function (file) {
      total += file.size;
      if (maxFile && file.size > maxFile) { large.push(file.name); }
    });
    if (large.length) {
      message = input.getAttribute("data-file-too-large").replace("{names}", large.join(", "));
    } else if (maxFiles && total > maxFiles) {
      message = input.getAttribute("data-files-too-large");
    }
    // A custom validity message keeps the browser from sending the form, as typed.
    input.setCustomValidity(message);
    var described = (input.getAttribute("aria-describedby") || "").split(" ").filter(
      function (id) { return id && id !== "check-" + input.name; });
    if (message) {
      described.push("check-" + input.name);
      input.setAttribute("aria-invalid", "true");
    } else if (!document.getElementById("error-" + input.name)) {
      input.removeAttribute("aria-invalid");
    }
    input.setAttribute("aria-describedby", described.join(" "));
    if (note) {
      note.textContent = message;
      note.hidden = !message;
    }
  }

  function setUpFileCheck(input) {
    input.addEventListener("change", function () { checkFiles(input); });
    checkFiles(input);
  }

  document.querySelectorAll("form[data-suggest-url]").forEach(setUpSuggestions);
  document.querySelectorAll("input[type=file][data-max-file-bytes]").forEach(setUpFileCheck);
  document.querySelectorAll(".review-actions").forEach(guardSend);
})();
