/* "Read aloud" (elder edition): speaks the page's key facts with the browser's own speech synthesis.
   The button stays hidden where the browser has no speech synthesis; nothing leaves the browser. */
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var button = document.querySelector("[data-read-aloud]");
    if (!button || !("speechSynthesis" in window) || typeof SpeechSynthesisUtterance === "undefined") { return; }
    var source = document.querySelector(button.dataset.readAloud) || document.getElementById("main-content");
    var label = button.querySelector("[data-read-aloud-label]");
    var startText = label ? label.textContent : "";
    button.hidden = false;
    function reset() {
      button.setAttribute("aria-pressed", "false");
      if (label) { label.textContent = startText; }
    }
    button.addEventListener("click", function () {
      if (window.speechSynthesis.speaking) { window.speechSynthesis.cancel(); reset(); return; }
      var utterance = new SpeechSynthesisUtterance(source.innerText);
      utterance.lang = document.documentElement.lang || "en";
      utterance.rate = 0.9;
      utterance.onend = reset;
      utterance.onerror = reset;
      button.setAttribute("aria-pressed", "true");
      if (label) { label.textContent = button.dataset.stopLabel || startText; }
      window.speechSynthesis.speak(utterance);
    });
  });
})();
