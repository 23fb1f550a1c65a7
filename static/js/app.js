/* Progressive enhancement for every edition; the pages work without it.
   - error summary: focus moves to it after a failed submit (GOV.UK pattern)
   - search suggestions: ARIA 1.2 combobox keyboard behaviour over the htmx-filled listbox
   - after an htmx swap: focus goes where the form asked (data-focus-after-swap), never lost to <body>
   - live region: announcements come from htmx out-of-band swaps; this only clears stale text
   - double submit: the pay button disables itself once the form is sent (the server is idempotent anyway)
   - native submit: a button that posts its form elsewhere ("Buy now" with the add-to-cart form's quantity) loads
     the next page as without JavaScript, instead of going through that form's htmx request
   - table scroll boxes: a named, focusable region only while the table is wider than its box (else a tab stop
     that does nothing, and a region whose name repeats the table's caption) */
(function () {
  "use strict";

  function focusErrorSummary() {
    // an error summary, else an error message brought by a redirect (a declined card), else a part of the page
    // that asked for focus (the new-card step)
    var target = document.querySelector("[data-error-summary]") || document.querySelector("[data-error-message]") ||
      document.querySelector("[data-focus-on-load]");
    if (target) { target.focus(); }
  }

  function announce(text) {
    var region = document.getElementById("live-region");
    if (!region) { return; }
    region.textContent = "";
    window.setTimeout(function () { region.textContent = text; }, 50);
  }

  function setupCombobox(input) {
    var listbox = document.getElementById(input.getAttribute("aria-controls"));
    if (!listbox) { return; }
    var active = -1;

    function options() { return Array.prototype.slice.call(listbox.querySelectorAll("[role=option]")); }
    function close() {
      listbox.hidden = true; input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant"); active = -1;
    }
    function open() {
      if (options().length) { listbox.hidden = false; input.setAttribute("aria-expanded", "true"); } else { close(); }
    }
    function highlight(index) {
      var opts = options();
      if (!opts.length) { return; }
      active = (index + opts.length) % opts.length;
      opts.forEach(function (opt, i) { opt.setAttribute("aria-selected", i === active ? "true" : "false"); });
      input.setAttribute("aria-activedescendant", opts[active].id);
      opts[active].scrollIntoView({ block: "nearest" });
    }
    function choose(opt) { if (opt && opt.dataset.href) { window.location.assign(opt.dataset.href); } }

    listbox.addEventListener("htmx:afterSwap", function () {
      var counter = listbox.querySelector("[data-suggestion-count]");
      active = -1; input.removeAttribute("aria-activedescendant");
      if (document.activeElement === input && input.value.trim().length >= 2) {
        open();
        if (counter) { announce(counter.dataset.announce); }
      } else { close(); }
    });
    input.addEventListener("keydown", function (event) {
      var expanded = input.getAttribute("aria-expanded") === "true";
      if (event.key === "ArrowDown") { event.preventDefault(); open(); highlight(active + 1); }
      else if (event.key === "ArrowUp") { event.preventDefault(); open(); highlight(active - 1); }
      else if (event.key === "Escape") { if (expanded) { event.preventDefault(); close(); } else { input.value = ""; } }
      else if (event.key === "Enter" && expanded && active >= 0) { event.preventDefault(); choose(options()[active]); }
    });
    input.addEventListener("blur", function () { window.setTimeout(close, 150); });
    listbox.addEventListener("mousedown", function (event) { event.preventDefault(); });
    listbox.addEventListener("click", function (event) { choose(event.target.closest("[role=option]")); });
  }

  function setupFocusAfterSwap() {
    document.body.addEventListener("htmx:afterSettle", function (event) {
      var source = event.detail.requestConfig && event.detail.requestConfig.elt;
      var form = source && source.closest ? source.closest("[data-focus-after-swap]") : null;
      if (form) {
        var target = document.querySelector(form.dataset.focusAfterSwap);
        if (target) { target.focus(); return; }
      }
      if (document.activeElement === document.body || !document.activeElement) {
        var main = document.getElementById("main-content");
        if (main) { main.focus(); }
      }
    });
  }

  function setupDoubleSubmit() {
    document.addEventListener("submit", function (event) {
      var button = event.target.querySelector("[data-prevent-double-submit]");
      if (!button) { return; }
      if (button.dataset.sent) { event.preventDefault(); return; }
      button.dataset.sent = "1";
      button.setAttribute("aria-disabled", "true");
    });
  }

  function setupNativeSubmit() {
    // capture phase on the document: runs before htmx's listener on the form, which then never sees the submit
    document.addEventListener("submit", function (event) {
      var button = event.submitter;
      if (!button || !button.hasAttribute("data-native-submit")) { return; }
      event.stopPropagation();
      if (button.dataset.sent) { event.preventDefault(); return; }
      button.dataset.sent = "1";
      button.setAttribute("aria-disabled", "true");
    }, true);
  }

  function setupDismiss() {
    document.querySelectorAll("[data-dismissible] [data-dismiss]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () {
        var message = button.closest("[data-dismissible]");
        var main = document.getElementById("main-content");
        message.remove();
        if (main) { main.focus(); }  // never leave focus on a removed element
      });
    });
  }

  function updateScrollBoxes() {
    document.querySelectorAll(".table-scroll").forEach(function (box) {
      var label = box.dataset.scrollLabel || box.getAttribute("aria-labelledby");
      if (label) { box.dataset.scrollLabel = label; }
      if (box.scrollWidth > box.clientWidth + 1) {
        box.setAttribute("tabindex", "0"); box.setAttribute("role", "region");
        if (label) { box.setAttribute("aria-labelledby", label); }
      } else {
        box.removeAttribute("tabindex"); box.removeAttribute("role"); box.removeAttribute("aria-labelledby");
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    updateScrollBoxes();
    window.addEventListener("resize", updateScrollBoxes);
    document.body.addEventListener("htmx:afterSettle", updateScrollBoxes);
    focusErrorSummary();
    setupDismiss();
    document.querySelectorAll("input[role=combobox]").forEach(setupCombobox);
    setupFocusAfterSwap();
    setupDoubleSubmit();
    setupNativeSubmit();
  });
})();
