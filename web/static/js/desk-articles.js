// The editors' article page: a live preview with lint problems while typing, autosave of the
// draft (debounced), the side panels (articles that say the same, the queries that led here)
// and "try a query". No inline script: the CSP allows only this file. The preview's HTML was
// rendered on the server by the public article pipeline (nh3 allowlist).
(function () {
  "use strict";

  var editor = document.querySelector("[data-editor]");
  if (!editor) { return; }
  var form = editor.querySelector("[data-editor-form]");
  var csrf = editor.getAttribute("data-csrf");
  var base = form.querySelector("[data-base]");
  var status = editor.querySelector("[data-autosave]");
  var PREVIEW_DELAY = 400;
  var SAVE_DELAY = 2500;
  var PANEL_DELAY = 1200;

  function post(url, data, json) {
    var headers = {"X-CSRFToken": csrf};
    if (json) { headers.Accept = "application/json"; }
    return fetch(url, {method: "POST", credentials: "same-origin", headers: headers, body: data});
  }

  function fill(list, items, render) {
    list.textContent = "";
    if (!items.length) {
      var none = document.createElement("li");
      none.textContent = list.getAttribute("data-none");
      list.appendChild(none);
    }
    items.forEach(function (item) { list.appendChild(render(item)); });
  }

  function debounce(delay, call) {
    var timer = null;
    var wrapped = function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(call, delay);
    };
    wrapped.cancel = function () { window.clearTimeout(timer); };
    return wrapped;
  }

  // ---- preview and lint ------------------------------------------------------------------
  var lint = editor.querySelector("[data-lint]");
  var previewHtml = editor.querySelector("[data-preview-html]");
  var previewSeq = 0;
  var preview = debounce(PREVIEW_DELAY, function () {
    var seq = ++previewSeq;
    post(editor.getAttribute("data-preview"), new FormData(form), true)
      .then(function (r) { return r.json(); })
      .then(function (data) {
        if (seq !== previewSeq) { return; }  // an older answer arriving late
        previewHtml.innerHTML = data.html;
        lint.textContent = "";
        data.problems.forEach(function (p) {
          var item = document.createElement("li");
          item.setAttribute("data-level", p.level);
          item.setAttribute("data-problem-line", p.line || "");
          var where = p.body_line ? "↳ " + p.body_line : (p.line ? "#" + p.line : "");
          item.textContent = (where ? where + (p.field && p.field !== "body" ? " (" + p.field + ")" : "") + ": " : "") + p.message;
          lint.appendChild(item);
        });
      })
      .catch(function () { /* the next keystroke tries again */ });
  });

  // ---- autosave --------------------------------------------------------------------------
  var saving = false;
  var stopped = false;
  var waitingSubmit = null;
  var autosave = debounce(SAVE_DELAY, function () {
    if (stopped || saving) { return; }
    saving = true;
    status.textContent = editor.getAttribute("data-saving");
    var data = new FormData(form);
    data.set("action", "save");
    post(form.getAttribute("action"), data, true)
      .then(function (r) { return r.json().then(function (body) { return [r.status, body]; }); })
      .then(function (answer) {
        var code = answer[0];
        var body = answer[1];
        if (code === 200) {
          base.value = body.revision;
          // The other actions (publish, schedule, rename) now act on the saved revision.
          editor.querySelectorAll("input[name=revision], input[name=base_revision]")
            .forEach(function (input) { input.value = body.revision; });
          var shown = editor.querySelector("[data-revision]");
          if (shown) { shown.textContent = body.revision; }
          status.textContent = editor.getAttribute("data-saved").replace("{n}", body.revision);
        } else if (code === 409) {
          stopped = true;
          status.textContent = editor.getAttribute("data-conflict");
        } else {
          status.textContent = editor.getAttribute("data-unsaved");
        }
      })
      .catch(function () { status.textContent = ""; })
      .then(function () {
        saving = false;
        if (waitingSubmit) {
          var submitter = waitingSubmit;
          waitingSubmit = null;
          form.requestSubmit(submitter);
        }
      });
  });
  form.addEventListener("submit", function (event) {
    autosave.cancel();
    if (saving) {  // submit with the revision the autosave is storing, once it is stored
      event.preventDefault();
      waitingSubmit = event.submitter || form.querySelector("[data-save]");
    }
  });

  // ---- side panels -----------------------------------------------------------------------
  var similar = editor.querySelector("[data-similar]");
  var searched = editor.querySelector("[data-searched]");
  var panels = debounce(PANEL_DELAY, function () {
    post(editor.getAttribute("data-panels"), new FormData(form), true)
      .then(function (r) { return r.json(); })
      .then(function (data) {
        fill(similar, data.similar, function (hit) {
          var item = document.createElement("li");
          var link = document.createElement("a");
          link.href = hit.url;
          link.textContent = hit.title;
          item.appendChild(link);
          item.appendChild(document.createTextNode(" (" + hit.score + ")"));
          return item;
        });
        fill(searched, data.searched, function (row) {
          var item = document.createElement("li");
          item.textContent = "“" + row.query + "” × " + row.clicks;
          return item;
        });
      })
      .catch(function () { /* the next keystroke tries again */ });
  });

  var tryForm = editor.querySelector("[data-try-form]");
  var tryResult = editor.querySelector("[data-try-result]");
  tryForm.addEventListener("submit", function (event) {
    event.preventDefault();
    var data = new FormData(form);
    data.set("query", editor.querySelector("[data-try-query]").value);
    post(editor.getAttribute("data-try"), data, true)
      .then(function (r) { return r.json(); })
      .then(function (body) {
        var line = document.createElement("p");
        if (body.rank) {
          line.textContent = tryResult.getAttribute("data-rank")
            .replace("{rank}", body.rank).replace("{total}", body.total);
        } else if (body.error) {
          line.textContent = (body.problems || []).map(function (p) { return p.message; }).join("; ") || body.error;
        } else {
          line.textContent = tryResult.getAttribute("data-unranked");
        }
        line.setAttribute("data-rank", body.rank || "");
        tryResult.textContent = "";
        tryResult.appendChild(line);
      });
  });

  // ---- images: a chosen or pasted picture is uploaded, its Markdown goes in at the cursor --
  var images = editor.querySelector("[data-image-upload]");
  var body = form.querySelector("[data-body]");
  if (images && body) {
    var fileInput = images.querySelector("[data-image-file]");
    var imageStatus = images.querySelector("[data-image-status]");
    var insertAtCursor = function (text) {
      var start = body.selectionStart;
      var before = body.value.slice(0, start);
      var after = body.value.slice(body.selectionEnd);
      var insert = (before && before.slice(-1) !== "\n" ? "\n" : "") + text + "\n";
      body.value = before + insert + after;
      body.selectionStart = body.selectionEnd = start + insert.length;
      body.dispatchEvent(new Event("input", {bubbles: true}));  // preview and autosave
    };
    var uploadImage = function (file) {
      var data = new FormData();
      data.append("image", file, file.name || "screenshot.png");
      imageStatus.textContent = images.getAttribute("data-uploading");
      post(images.getAttribute("data-image-upload"), data, true)
        .then(function (r) { return r.json().then(function (answer) { return [r.status, answer]; }); })
        .then(function (answer) {
          if (answer[0] === 201) {
            insertAtCursor(answer[1].markdown);
            imageStatus.textContent = images.getAttribute("data-added");
          } else {
            imageStatus.textContent = (answer[1].error && answer[1].error.message) ||
              images.getAttribute("data-failed");
          }
        })
        .catch(function () { imageStatus.textContent = images.getAttribute("data-failed"); });
    };
    // The file input has no name, so the form's own posts never carry it; its events stay here.
    fileInput.addEventListener("input", function (event) { event.stopPropagation(); });
    fileInput.addEventListener("change", function (event) {
      event.stopPropagation();
      if (fileInput.files.length) { uploadImage(fileInput.files[0]); }
      fileInput.value = "";
    });
    body.addEventListener("paste", function (event) {
      var files = event.clipboardData ? Array.prototype.slice.call(event.clipboardData.files) : [];
      var picture = files.filter(function (file) { return /^image\//.test(file.type); })[0];
      if (picture) {
        event.preventDefault();
        uploadImage(picture);
      }
    });
  }

  form.addEventListener("input", function () {
    preview();
    autosave();
    panels();
  });
  form.addEventListener("change", function () { preview(); autosave(); });
  preview();
  panels();
}());
