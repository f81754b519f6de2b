/* The journal page: spreadsheet keys, paste from Excel, fill a column, one lesson at a time on phones, saves with
   htmx. No inline scripts (CSP). */
(function () {
  "use strict";
  var table = document.getElementById("j-grid");
  if (!table || !window.htmx) { return; }
  var panel = document.getElementById("j-panel");
  var status = document.getElementById("j-status");
  var lastCell = null;
  var focusedId = null;

  function token() {
    // A client token per typed value: a retry of the same save sends it again, so one mark is created.
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  function at(row, col) {
    return table.querySelector('[data-row="' + row + '"][data-col="' + col + '"]');
  }
  function cols() { return table.querySelectorAll("thead th.j-lh").length; }

  function say(text, failed) {
    status.textContent = text;
    status.className = "j-status " + (failed ? "j-err" : "j-ok");
  }

  // Saves go one after another, in the order typed: the next waits for the answer to the previous one.
  var queue = Promise.resolve();
  var failure = null;  // what went wrong with the answer being handled (a 5xx, a redirect), for the status line
  var explained = false;  // a refusal or a conflict (400, 409): the server's own message is in the status line
  function post(url, values, source, inputs) {
    queue = queue.then(function () {
      failure = null;
      explained = false;
      var done = function () { settle(inputs); };
      return htmx.ajax("POST", url, { source: source, target: "#j-status", swap: "innerHTML", values: values })
        .then(done, done);
    }).catch(function () { return null; });
    return queue;
  }

  // A good answer replaces the sent cells; one still «saving» once its answer is handled was not saved:
  // a server error, an answer that could not be read, or no answer at all. Never left «saving…».
  function settle(inputs) {
    var failed = inputs.filter(function (i) { return document.contains(i) && i.classList.contains("jc-saving"); });
    if (!failed.length) { return; }
    failed.forEach(function (i) {
      i.classList.remove("jc-saving");
      i.classList.add("jc-failed");
      delete i.dataset.sentValue;  // the same value may be sent again
    });
    if (!explained) { say(failure || table.dataset.unreadable, true); }
  }

  function unsaved() {
    return Array.prototype.some.call(table.querySelectorAll("input.jc, input.jp"), function (i) {
      return i.classList.contains("jc-saving") || i.classList.contains("jc-failed") ||
        (i.classList.contains("jc-dirty") && changed(i));
    });
  }

  function send(inputs) {
    if (!inputs.length) { return; }
    var cells = inputs.map(function (i) {
      if (!i.dataset.token) { i.dataset.token = token(); }
      i.classList.remove("jc-saved", "jc-failed", "jc-conflict");
      i.classList.add("jc-saving");
      i.dataset.sentValue = i.value.trim();
      return { student: i.dataset.s, lesson: i.dataset.l, text: i.value.trim(), att: i.dataset.att,
        marks: i.dataset.marks, token: i.dataset.token };
    });
    // One element per request: htmx would otherwise drop a save queued behind another from the same element.
    post(table.dataset.cellsUrl, { cells: JSON.stringify(cells) }, inputs.length === 1 ? inputs[0] : table, inputs);
    offerUndo(inputs);
  }

  function changed(input) { return input.value.trim() !== (input.dataset.orig || ""); }
  function commit(input) {
    if (input.classList.contains("jp")) { return commitPeriod(input, false); }
    if (changed(input) || input.classList.contains("jc-failed")) { send([input]); }
  }

  function commitPeriod(input, force) {
    if (!force && input.value.trim() === (input.defaultValue || "")) { return; }
    input.classList.add("jc-saving");
    post(table.dataset.periodUrl, { student: input.dataset.s, value: input.value.trim(),
      suggested: input.dataset.suggested, version: input.dataset.version }, input, [input]);
  }

  function move(input, dRow, dCol) {
    var row = +input.dataset.row, col = +input.dataset.col, next;
    for (var step = 1; step < 200; step++) {
      next = at(row + dRow * step, col + dCol * step);
      if (!next || !next.disabled) { break; }
    }
    if (next) {
      if (dCol && oneMode()) { showCol(+next.dataset.col); }
      next.focus();
    }
  }

  // Phones: one lesson at a time, a vertical list of students with big inputs (same keys, same saves).
  var oneBtn = document.getElementById("j-one-toggle");
  var oneSel = document.getElementById("j-one-lesson");
  var oneNav = document.querySelector(".j-onenav");
  var oneCol = null;
  var ONE_KEY = "ej-journal-one-lesson";
  function oneMode() { return table.classList.contains("j-one"); }
  function showCol(col) {
    var n = cols();
    if (!n) { return; }
    oneCol = Math.max(0, Math.min(n - 1, col));
    table.querySelectorAll("th.j-lh, td.j-td").forEach(function (el) {
      el.classList.toggle("j-off", +el.dataset.col !== oneCol);
    });
    if (oneSel) { oneSel.value = String(oneCol); }
  }
  function startCol() {
    if (location.hash.indexOf("#lh-") === 0) {
      var head = document.getElementById(location.hash.slice(1));
      var th = head && head.closest("th");
      if (th) { return +th.dataset.col; }
    }
    var today = oneSel && oneSel.querySelector("option[data-today]");
    return today ? +today.value : cols() - 1;
  }
  function setOne(on, remember) {
    if (!oneBtn) { return; }
    table.classList.toggle("j-one", on);
    oneBtn.setAttribute("aria-pressed", on ? "true" : "false");
    oneNav.hidden = !on;
    if (on) { showCol(oneCol !== null ? oneCol : startCol()); }
    else { table.querySelectorAll(".j-off").forEach(function (el) { el.classList.remove("j-off"); }); }
    if (remember) { try { window.localStorage.setItem(ONE_KEY, on ? "1" : "0"); } catch (err) { /* private mode */ } }
  }
  function focusCol() {
    var first = table.querySelector('input.jc[data-col="' + oneCol + '"]:not([disabled])');
    if (first) { first.focus(); }
  }
  if (oneBtn) {
    oneBtn.addEventListener("click", function () { setOne(!oneMode(), true); });
    oneSel.addEventListener("change", function () { showCol(+oneSel.value); });
    document.getElementById("j-one-prev").addEventListener("click", function () { showCol(oneCol - 1); focusCol(); });
    document.getElementById("j-one-next").addEventListener("click", function () { showCol(oneCol + 1); focusCol(); });
    var stored = null;
    try { stored = window.localStorage.getItem(ONE_KEY); } catch (err) { stored = null; }
    var narrow = window.matchMedia && window.matchMedia("(max-width: 720px)").matches;
    setOne(stored === null ? narrow : stored === "1", false);
  }

  table.addEventListener("focusin", function (e) {
    var t = e.target;
    if (t.matches("input.jc")) { lastCell = t; focusedId = t.id; t.select(); }
    else if (t.matches("input.jp")) { focusedId = null; t.select(); }
  });

  table.addEventListener("input", function (e) {
    if (e.target.matches("input.jc")) {
      e.target.dataset.token = token();
      e.target.classList.remove("jc-saved", "jc-failed", "jc-conflict");
      e.target.classList.add("jc-dirty");
    }
  });

  table.addEventListener("change", function (e) {
    var t = e.target;
    if (t.matches("input.jc") && changed(t) && t.dataset.sentValue !== t.value.trim()) { send([t]); }
  });

  table.addEventListener("keydown", function (e) {
    var t = e.target;
    if (!t.matches("input.jc, input.jp")) { return; }
    var period = t.classList.contains("jp");
    switch (e.key) {
      case "Enter":
        e.preventDefault();
        if (period) { commitPeriod(t, true); } else if (changed(t) || t.classList.contains("jc-failed")) { send([t]); }
        if (!period || !e.shiftKey) { move(t, e.shiftKey ? -1 : 1, 0); }
        break;
      case "ArrowDown": e.preventDefault(); commit(t); move(t, 1, 0); break;
      case "ArrowUp": e.preventDefault(); commit(t); move(t, -1, 0); break;
      case "ArrowLeft": if (!period) { e.preventDefault(); commit(t); move(t, 0, -1); } break;
      case "ArrowRight": if (!period) { e.preventDefault(); commit(t); move(t, 0, 1); } break;
      case "Delete":
        if (!period) {
          e.preventDefault();
          t.value = "";
          t.dataset.token = token();
          if (changed(t)) { send([t]); }
        }
        break;
      case "Escape":
        t.value = period ? t.defaultValue : (t.dataset.orig || "");
        t.classList.remove("jc-dirty");
        break;
    }
  });

  // A block copied from Excel: tab-separated columns, one line per student, from the focused cell down.
  table.addEventListener("paste", function (e) {
    var t = e.target;
    if (!t.matches("input.jc")) { return; }
    var text = (e.clipboardData || window.clipboardData).getData("text");
    if (!/[\t\n]/.test(text)) { return; }
    e.preventDefault();
    var lines = text.replace(/\r/g, "").replace(/\n+$/, "").split("\n");
    var row = +t.dataset.row, col = +t.dataset.col, batch = [];
    var r = row;
    lines.forEach(function (line) {
      while (at(r, col) && at(r, col).disabled) { r++; }
      line.split("\t").forEach(function (value, dc) {
        var cell = at(r, col + dc);
        if (cell && !cell.disabled && cell.matches("input.jc")) {
          cell.value = value.trim();
          cell.dataset.token = token();
          if (changed(cell)) { batch.push(cell); }
        }
      });
      r++;
    });
    send(batch);
  });

  var fill = document.getElementById("j-fill");
  if (fill) {
    fill.addEventListener("submit", function (e) {
      e.preventDefault();
      var col = fill.elements.lesson.value, value = fill.elements.value.value.trim(), batch = [];
      if (!value) { say(fill.dataset.empty || "—", true); return; }
      table.querySelectorAll('input.jc[data-col="' + col + '"]').forEach(function (cell) {
        if (!cell.disabled && !cell.value.trim()) {
          cell.value = value;
          cell.dataset.token = token();
          batch.push(cell);
        }
      });
      send(batch);
    });
    var historyBtn = document.getElementById("j-history-btn");
    historyBtn.addEventListener("click", function () {
      if (!lastCell) { lastCell = table.querySelector("input.jc"); }
      if (!lastCell) { return; }
      var url = table.dataset.historyUrl.replace("/lesson/0/student/0/", "/lesson/" + lastCell.dataset.l +
        "/student/" + lastCell.dataset.s + "/");
      htmx.ajax("GET", url, { source: historyBtn, target: "#j-panel", swap: "innerHTML" });
    });
  }

  // Refusals (400) and conflicts (409) come with the cells to show, a body too large (413, 411) with the
  // reason (the lesson panel's files too): let htmx swap them like a success.
  // A server error (5xx: its short text, e.g. the 503 of a database outage, or our own message) and an
  // answer that is not the journal's (a redirect to the sign-in page) are failures: nothing is swapped.
  function isSave(e) {
    var path = e.detail.requestConfig && e.detail.requestConfig.path;
    return path === table.dataset.cellsUrl || path === table.dataset.periodUrl;
  }
  function shortText(xhr) {
    var type = xhr.getResponseHeader("Content-Type") || "";
    var text = (xhr.responseText || "").trim();
    return type.indexOf("text/plain") === 0 && text && text.length < 300 ? text : null;
  }
  document.body.addEventListener("htmx:beforeSwap", function (e) {
    var xhr = e.detail.xhr, code = xhr.status;
    if (code === 411 || code === 413) { e.detail.shouldSwap = true; e.detail.isError = false; }
    if (!isSave(e)) { return; }
    var redirected = xhr.responseURL && new URL(xhr.responseURL, location.href).pathname !==
      new URL(e.detail.requestConfig.path, location.href).pathname;
    if (redirected) {
      e.detail.shouldSwap = false;
      failure = table.dataset.unreadable;
    } else if (code === 400 || code === 409 || code === 411 || code === 413) {
      e.detail.shouldSwap = true; e.detail.isError = false; explained = true;
    } else if (code >= 300) {
      e.detail.shouldSwap = false;
      failure = shortText(xhr) || table.dataset.servererror;
    }
  });
  document.body.addEventListener("htmx:sendError", function () {
    table.querySelectorAll(".jc-saving").forEach(function (cell) {
      cell.classList.remove("jc-saving");
      cell.classList.add("jc-failed");
      delete cell.dataset.sentValue;
    });
    say(table.dataset.offline, true);
  });
  // Leaving the page with cells typed but not saved (or not saved yet) asks first.
  window.addEventListener("beforeunload", function (e) {
    if (!unsaved()) { return undefined; }
    e.preventDefault();
    e.returnValue = table.dataset.unsaved;
    return table.dataset.unsaved;
  });
  // A cell swapped while focused (Delete, a conflict) keeps the focus.
  document.body.addEventListener("htmx:afterSettle", function () {
    if (focusedId && (document.activeElement === document.body || !document.activeElement)) {
      var again = document.getElementById(focusedId);
      if (again) { again.focus(); }
    }
  });
  document.body.addEventListener("htmx:afterSwap", function (e) {
    if (e.detail.target === panel) {
      panel.classList.add("j-open");
      var first = panel.querySelector("input[type=text]") || panel.querySelector("textarea, button");
      if (first) { first.focus(); }
    }
  });
  function closePanel() {
    // Back to the grid: the lesson's column (its first cell) after the lesson panel, else the last cell.
    var body = panel.querySelector("[data-lesson]");
    var target = body && table.querySelector('input.jc[data-l="' + body.dataset.lesson + '"]:not([disabled])');
    panel.classList.remove("j-open");
    panel.innerHTML = "";
    target = target || lastCell;
    if (target) { target.focus(); }
  }
  panel.addEventListener("click", function (e) {
    if (e.target.matches(".j-close")) { closePanel(); }
  });
  panel.addEventListener("keydown", function (e) {
    if (e.key === "Enter" && e.ctrlKey && e.target.form) {  // Ctrl+Enter sends the form from a text area
      e.preventDefault();
      // A form swapped in a moment ago may not be wired by htmx yet (it settles after the swap):
      // wire it now, or the browser would submit it as a plain page load.
      if (window.htmx) { window.htmx.process(e.target.form); }
      e.target.form.requestSubmit();
    } else if (e.key === "Escape") {
      closePanel();
    }
  });
  // From «Сегодня»: the lesson's column is in view and its first cell focused (after the browser's own
  // scroll to the fragment, which would otherwise take the focus away).
  function openAtLesson() {
    if (location.hash.indexOf("#lh-") !== 0) { return; }
    var head = document.getElementById(location.hash.slice(1));
    if (!head) { return; }
    head.scrollIntoView({ block: "nearest", inline: "center" });
    var th = head.closest("th"), index = Array.prototype.indexOf.call(th.parentNode.children, th) - 1;
    if (oneMode()) { showCol(index); }
    var first = at(0, index);
    if (first && !first.disabled) { first.focus(); }
  }
  // Clearing a cell that held a mark or an absence (Delete, Backspace, a pasted blank) is saved at once, as
  // every edit is, and can be taken back: «Вернуть» (or Ctrl+Z in the grid) types the old text again and
  // saves it. No question in the way of the keyboard; one step back, the last clearing only.
  var undoBar = document.getElementById("j-undo");
  var cleared = null;
  function offerUndo(inputs) {
    if (!undoBar) { return; }
    var emptied = inputs.filter(function (i) { return !i.value.trim() && (i.dataset.orig || ""); });
    if (!emptied.length) {
      var retyped = cleared && inputs.some(function (i) { return cleared.some(function (c) { return c.id === i.id; }); });
      if (retyped) { cleared = null; undoBar.hidden = true; }
      return;
    }
    cleared = emptied.map(function (i) { return { id: i.id, value: i.dataset.orig, label: i.getAttribute("aria-label") }; });
    undoBar.querySelector("[data-undo-what]").textContent = cleared.map(function (c) {
      return "«" + c.value + "» — " + c.label;
    }).join("; ");
    undoBar.hidden = false;
  }
  function undoClear() {
    if (!cleared) { return; }
    var cells = cleared.map(function (c) {
      var cell = document.getElementById(c.id);  // the saved cell was swapped in anew: find it by its id
      if (cell) { cell.value = c.value; cell.dataset.token = token(); }
      return cell;
    }).filter(Boolean);
    cleared = null;
    undoBar.hidden = true;
    send(cells);
    if (cells.length) { cells[0].focus(); }
  }
  if (undoBar) {
    undoBar.querySelector("button").addEventListener("click", undoClear);
    table.addEventListener("keydown", function (e) {
      if (cleared && (e.ctrlKey || e.metaKey) && !e.shiftKey && e.key.toLowerCase() === "z") {
        e.preventDefault();
        undoClear();
      }
    });
  }

  if (document.readyState === "complete") { setTimeout(openAtLesson, 0); }
  else { window.addEventListener("load", function () { setTimeout(openAtLesson, 0); }); }
})();
