/* Plooma Help Center: search as you type (a WAI-ARIA combobox over /api/suggest) and the
   "Was this helpful?" buttons over the JSON API. Everything works without this file too:
   the search box is a GET form and the feedback buttons are POST forms. */
(function () {
  "use strict";

  var DEBOUNCE_MS = 120;

  function Combobox(form) {
    this.form = form;
    this.input = form.querySelector("[role=combobox]");
    this.list = document.getElementById(this.input.getAttribute("aria-controls"));
    this.status = form.querySelector("[data-suggest-status]");
    this.url = form.getAttribute("data-suggest-url");
    this.locale = form.getAttribute("data-locale");
    this.options = [];
    this.active = -1;
    this.timer = null;
    this.request = null;
    this.lastQuery = null;
    this.bind();
  }

  Combobox.prototype.bind = function () {
    var self = this;
    // "input" covers typing and pasting; "compositionupdate" makes a Korean syllable still being
    // composed (로그ㅇ) ask for suggestions before the IME commits it.
    this.input.addEventListener("input", function () { self.schedule(); });
    this.input.addEventListener("compositionupdate", function () { self.schedule(); });
    this.input.addEventListener("compositionend", function () { self.schedule(); });
    this.input.addEventListener("keydown", function (event) { self.onKey(event); });
    this.input.addEventListener("blur", function () {
      window.setTimeout(function () { self.close(); }, 150);
    });
    this.list.addEventListener("mousedown", function (event) { event.preventDefault(); });
    this.list.addEventListener("click", function (event) {
      var option = event.target.closest("[role=option]");
      if (option) { self.open(option); }
    });
  };

  Combobox.prototype.schedule = function () {
    var self = this;
    window.clearTimeout(this.timer);
    this.timer = window.setTimeout(function () { self.fetch(); }, DEBOUNCE_MS);
  };

  Combobox.prototype.fetch = function () {
    var self = this;
    var query = this.input.value.trim();
    if (query === this.lastQuery && this.options.length) { return; }
    this.lastQuery = query;
    if (!query || query.length > 200) { this.close(); return; }
    if (this.request) { this.request.abort(); }
    var controller = new AbortController();
    this.request = controller;
    var url = this.url + "?q=" + encodeURIComponent(query) + "&locale=" + this.locale;
    window.fetch(url, { signal: controller.signal, headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : { suggestions: [] }; })
      .then(function (body) {
        if (self.request === controller) { self.render(body.suggestions || []); }
      })
      .catch(function () { /* aborted or offline: the form still submits */ });
  };

  Combobox.prototype.render = function (suggestions) {
    var self = this;
    // The answer for a later keystroke can arrive after the customer has already moved to an
    // option: keep that article chosen if it is still suggested, so Enter still opens it.
    var chosen = this.active >= 0 ? this.options[this.active].getAttribute("data-slug") : null;
    var keep = -1;
    this.list.textContent = "";
    this.options = suggestions.map(function (suggestion, index) {
      var item = document.createElement("li");
      item.id = self.list.id + "-" + index;
      item.setAttribute("role", "option");
      item.setAttribute("aria-selected", "false");
      item.setAttribute("data-url", suggestion.url);
      item.setAttribute("data-slug", suggestion.slug);
      item.textContent = suggestion.title;
      self.list.appendChild(item);
      if (suggestion.slug === chosen) { keep = index; }
      return item;
    });
    var isOpen = this.options.length > 0 && document.activeElement === this.input;
    this.list.hidden = !isOpen;
    this.input.setAttribute("aria-expanded", String(isOpen));
    this.setActive(isOpen ? keep : -1);
    var message = this.form.getAttribute(isOpen ? "data-msg-count" : "data-msg-none") || "";
    this.status.textContent = message.replace("{n}", String(this.options.length));
  };

  Combobox.prototype.close = function () {
    this.list.hidden = true;
    this.input.setAttribute("aria-expanded", "false");
    this.input.removeAttribute("aria-activedescendant");
    this.setActive(-1);
  };

  Combobox.prototype.setActive = function (index) {
    this.options.forEach(function (option, i) {
      option.setAttribute("aria-selected", String(i === index));
    });
    this.active = index;
    if (index >= 0) {
      this.input.setAttribute("aria-activedescendant", this.options[index].id);
      this.options[index].scrollIntoView({ block: "nearest" });
    } else {
      this.input.removeAttribute("aria-activedescendant");
    }
  };

  Combobox.prototype.move = function (step) {
    if (!this.options.length) { return; }
    if (this.list.hidden) {
      this.list.hidden = false;
      this.input.setAttribute("aria-expanded", "true");
    }
    var count = this.options.length;
    var next = this.active + step;
    if (next < -1) { next = count - 1; }
    if (next >= count) { next = -1; }
    this.setActive(next);
  };

  Combobox.prototype.open = function (option) {
    // The options may still be those fetched for an earlier keystroke ("lo" while the box
    // says "log"): the article logs what the customer had typed when they chose it.
    var url = new URL(option.getAttribute("data-url"), window.location.href);
    url.searchParams.set("q", this.input.value.trim());
    window.location.assign(url.toString());
  };

  Combobox.prototype.onKey = function (event) {
    if (event.isComposing || event.keyCode === 229) { return; }  // the IME owns this key
    if (event.key === "ArrowDown") { event.preventDefault(); this.move(1); }
    else if (event.key === "ArrowUp") { event.preventDefault(); this.move(-1); }
    else if (event.key === "Enter" && this.active >= 0 && !this.list.hidden) {
      event.preventDefault();
      this.open(this.options[this.active]);
    } else if (event.key === "Escape") {
      if (!this.list.hidden) { event.preventDefault(); this.close(); }
      else if (this.input.value) { event.preventDefault(); this.input.value = ""; }
    }
  };

  function Feedback(section) {
    var self = this;
    this.section = section;
    this.url = section.getAttribute("data-api-url");
    section.querySelectorAll("form.feedback-step").forEach(function (form) {
      form.addEventListener("submit", function (event) { self.onSubmit(event, form); });
    });
  }

  Feedback.prototype.onSubmit = function (event, form) {
    var self = this;
    if (form.getAttribute("data-native") === "true") { return; }
    event.preventDefault();
    var submitter = event.submitter;
    var step = form.getAttribute("data-step");
    var body = step === "ask"
      ? { helpful: submitter && submitter.value === "yes" }
      : { missing: form.querySelector("textarea").value };
    var next = step === "ask" ? (body.helpful ? "yes" : "no") : "sent";
    window.fetch(this.url, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify(body),
      credentials: "same-origin"
    }).then(function (response) {
      if (!response.ok) { throw new Error("feedback refused"); }
      self.show(next);
    }).catch(function () {
      form.setAttribute("data-native", "true");  // fall back to the plain form post
      form.requestSubmit(submitter || undefined);
    });
  };

  Feedback.prototype.show = function (name) {
    var shown = null;
    this.section.querySelectorAll(".feedback-step").forEach(function (step) {
      var isShown = step.getAttribute("data-step") === name;
      step.hidden = !isShown;
      if (isShown) { shown = step; }
    });
    if (!shown) { return; }
    var target = shown.querySelector("textarea") || shown;
    if (target === shown) { shown.setAttribute("tabindex", "-1"); }
    target.focus();
  };

  document.querySelectorAll("form[role=search][data-suggest-url]").forEach(function (form) {
    if (form.querySelector("[role=combobox]")) { new Combobox(form); }
  });
  document.querySelectorAll("#feedback[data-api-url]").forEach(function (section) {
    new Feedback(section);
  });
})();
