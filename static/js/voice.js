/*
 * Voice search capture (progressive enhancement; works under CSP script-src 'self': no inline code, no eval).
 *
 * Shows the <button data-voice-button> inside <form data-voice-search> only when the browser has a microphone
 * API and Web Audio. Press to record, press again (or pause ~1.5 s after speaking) to stop; at most 10 s.
 * The audio is downsampled to 16 kHz mono 16-bit PCM WAV and POSTed to /voice/search/ with the CSRF token;
 * the returned HTML fragment goes into [data-voice-results] and a summary is announced in #live-region.
 *
 * Text shown or announced comes from data attributes on the button (translated by the template), with English
 * fallbacks: data-label-start, data-label-stop, data-msg-listening, data-msg-working, data-msg-denied,
 * data-msg-failed, data-msg-unsupported.
 */
(function () {
  "use strict";

  var TARGET_RATE = 16000;
  var MAX_SECONDS = 10;
  var SILENCE_SECONDS = 1.5;
  var SPEECH_RMS = 0.02; // above this a chunk counts as speech
  var DEFAULTS = {
    labelStart: "Speak",
    labelStop: "Stop",
    msgListening: "Listening. Say what you are looking for.",
    msgWorking: "Searching…",
    msgDenied: "The microphone is blocked. Allow it in your browser, or type your search.",
    msgFailed: "Voice search did not work. Please type your search.",
    msgUnsupported: "Voice search is not available in this browser. Please type your search."
  };

  function text(button, key) {
    return (button.dataset && button.dataset[key]) || DEFAULTS[key];
  }

  function announce(message) {
    var region = document.getElementById("live-region");
    if (!region) { return; }
    region.textContent = "";
    // A fresh text node after a tick makes screen readers announce repeated messages too.
    window.setTimeout(function () { region.textContent = message; }, 50);
  }

  function csrfToken(form) {
    if (document.body && document.body.dataset.csrf) { return document.body.dataset.csrf; }
    var input = form.querySelector("input[name=csrfmiddlewaretoken]") ||
      document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function downsample(chunks, inputRate) {
    var length = 0, i;
    for (i = 0; i < chunks.length; i++) { length += chunks[i].length; }
    var input = new Float32Array(length), offset = 0;
    for (i = 0; i < chunks.length; i++) { input.set(chunks[i], offset); offset += chunks[i].length; }
    if (inputRate === TARGET_RATE) { return input; }
    var ratio = inputRate / TARGET_RATE;
    var out = new Float32Array(Math.floor(input.length / ratio));
    // Average the input samples that fall into each output sample: a cheap low-pass against aliasing.
    for (i = 0; i < out.length; i++) {
      var start = Math.floor(i * ratio), end = Math.min(input.length, Math.floor((i + 1) * ratio));
      var sum = 0, n = 0;
      for (var j = start; j < end; j++) { sum += input[j]; n++; }
      out[i] = n ? sum / n : 0;
    }
    return out;
  }

  function encodeWav(samples) {
    var buffer = new ArrayBuffer(44 + samples.length * 2);
    var view = new DataView(buffer);
    function ascii(pos, s) { for (var k = 0; k < s.length; k++) { view.setUint8(pos + k, s.charCodeAt(k)); } }
    ascii(0, "RIFF"); view.setUint32(4, 36 + samples.length * 2, true); ascii(8, "WAVE");
    ascii(12, "fmt "); view.setUint32(16, 16, true); view.setUint16(20, 1, true); view.setUint16(22, 1, true);
    view.setUint32(24, TARGET_RATE, true); view.setUint32(28, TARGET_RATE * 2, true);
    view.setUint16(32, 2, true); view.setUint16(34, 16, true);
    ascii(36, "data"); view.setUint32(40, samples.length * 2, true);
    for (var i = 0; i < samples.length; i++) {
      var s = Math.max(-1, Math.min(1, samples[i]));
      view.setInt16(44 + i * 2, s < 0 ? s * 0x8000 : s * 0x7fff, true);
    }
    return new Blob([view], { type: "audio/wav" });
  }

  function setup(form) {
    var button = form.querySelector("[data-voice-button]");
    if (!button) { return; }
    var AudioCtx = window.AudioContext || window.webkitAudioContext;
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia || !AudioCtx) { return; }
    var results = document.querySelector("[data-voice-results]");
    var label = button.querySelector("[data-voice-label]") || button;
    var url = button.dataset.voiceUrl || form.dataset.voiceUrl || "/voice/search/";
    var state = null; // {stream, context, processor, chunks, ...} while recording
    var busy = false;

    button.hidden = false;
    // The microphone works here: the "needs JavaScript and a microphone" explanation no longer applies.
    Array.prototype.forEach.call(document.querySelectorAll("[data-voice-needs-js]"), function (el) { el.hidden = true; });

    function setRecording(on) {
      button.setAttribute("aria-pressed", on ? "true" : "false");
      label.textContent = text(button, on ? "labelStop" : "labelStart");
    }

    function stop(send) {
      if (!state) { return; }
      var current = state;
      state = null;
      setRecording(false);
      current.processor.disconnect();
      current.source.disconnect();
      current.stream.getTracks().forEach(function (track) { track.stop(); });
      var rate = current.context.sampleRate;
      current.context.close();
      if (send && current.heard) { upload(encodeWav(downsample(current.chunks, rate))); }
      else if (send) { announce(text(button, "msgFailed")); }
    }

    function upload(wav) {
      busy = true;
      button.disabled = true;
      announce(text(button, "msgWorking"));
      fetch(url, {
        method: "POST",
        body: wav,
        credentials: "same-origin",
        headers: { "Content-Type": "audio/wav", "Accept": "text/html", "X-CSRFToken": csrfToken(form) }
      }).then(function (response) {
        return response.text().then(function (html) { return { ok: response.ok, html: html }; });
      }).then(function (reply) {
        if (results) {
          results.innerHTML = reply.html; // a fragment rendered (and escaped) by our own server
          var fragment = results.querySelector("[data-voice-fragment]");
          announce(fragment ? fragment.getAttribute("data-voice-announce") : text(button, "msgFailed"));
          if (fragment && fragment.hasAttribute("data-voice-go")) {
            // A clear hit or a command: go there; that page speaks the confirmation ([data-voice-speak]).
            window.location.assign(fragment.getAttribute("data-voice-go"));
          } else if (fragment && fragment.hasAttribute("data-voice-read")) {
            readPage();
          }
        } else {
          announce(text(button, "msgFailed"));
        }
      }).catch(function () {
        announce(text(button, "msgFailed"));
      }).then(function () {
        busy = false;
        button.disabled = false;
      });
    }

    function start() {
      navigator.mediaDevices.getUserMedia({ audio: { channelCount: 1, echoCancellation: true, noiseSuppression: true } })
        .then(function (stream) {
          var context = new AudioCtx();
          var source = context.createMediaStreamSource(stream);
          // ScriptProcessor is deprecated but works everywhere without a separate worklet module.
          var processor = context.createScriptProcessor(4096, 1, 1);
          state = { stream: stream, context: context, source: source, processor: processor, chunks: [],
                    seconds: 0, quiet: 0, heard: false };
          var mine = state;
          processor.onaudioprocess = function (event) {
            if (state !== mine) { return; }
            var data = event.inputBuffer.getChannelData(0);
            mine.chunks.push(new Float32Array(data));
            var seconds = data.length / context.sampleRate, sum = 0;
            for (var i = 0; i < data.length; i++) { sum += data[i] * data[i]; }
            var loud = Math.sqrt(sum / data.length) > SPEECH_RMS;
            mine.seconds += seconds;
            if (loud) { mine.heard = true; mine.quiet = 0; } else if (mine.heard) { mine.quiet += seconds; }
            if (mine.seconds >= MAX_SECONDS - 0.1 || mine.quiet >= SILENCE_SECONDS) { stop(true); }
          };
          source.connect(processor);
          processor.connect(context.destination);
          setRecording(true);
          announce(text(button, "msgListening"));
        })
        .catch(function (error) {
          var denied = error && (error.name === "NotAllowedError" || error.name === "SecurityError");
          announce(text(button, denied ? "msgDenied" : "msgUnsupported"));
        });
    }

    button.addEventListener("click", function () {
      if (busy) { return; }
      if (state) { stop(true); } else { start(); }
    });
  }

  function speak(message) {
    if (!message || !window.speechSynthesis || !window.SpeechSynthesisUtterance) { return; }
    var utterance = new window.SpeechSynthesisUtterance(message);
    utterance.lang = document.documentElement.lang || "";
    window.speechSynthesis.cancel();
    window.speechSynthesis.speak(utterance);
  }

  // "Read this page": the page's own Read aloud button when it has one, else the main content's text.
  function readPage() {
    var reader = document.querySelector("[data-read-aloud]");
    if (reader && !reader.hidden) { reader.click(); return; }
    var main = document.querySelector("main");
    if (main) { speak(main.innerText.slice(0, 4000)); }
  }

  function init() {
    var confirmation = document.querySelector("[data-voice-speak]");
    if (confirmation) {
      // Arrived on a product from a clear voice hit: say what was found (and show it: the message above).
      announce(confirmation.getAttribute("data-voice-speak"));
      speak(confirmation.getAttribute("data-voice-speak"));
    }
    var forms = document.querySelectorAll("form[data-voice-search]");
    for (var i = 0; i < forms.length; i++) { setup(forms[i]); }
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); }
  else { init(); }
})();
