/* Progressive enhancement only: every page works without this file.
   - Focus the error summary (or another element marked data-focus-on-load) when a page or an htmx swap
     brings one, so keyboard and screen-reader users land on what changed, never on <body>.
   - Announce swaps through the one aria-live region that is already in the page (#live-status). */
(function () {
  "use strict";

  function announce(text) {
    var region = document.getElementById("live-status");
    if (!region || !text) { return; }
    region.textContent = "";
    window.setTimeout(function () { region.textContent = text; }, 50);
  }

  function marked(root, attribute) {
    if (root.hasAttribute && root.hasAttribute(attribute)) { return root; }
    return root.querySelector ? root.querySelector("[" + attribute + "]") : null;
  }

  function focusElement(element) {
    if (!element) { return false; }
    if (!element.hasAttribute("tabindex") && !element.matches("a, button, input, select, textarea")) {
      element.setAttribute("tabindex", "-1");
    }
    element.focus();
    return true;
  }

  document.addEventListener("DOMContentLoaded", function () {
    focusElement(document.querySelector("[data-focus-on-load]"));
  });

  document.addEventListener("htmx:afterSettle", function (event) {
    var root = event.target && event.target.isConnected ? event.target : document;
    var announcer = marked(root, "data-announce");
    if (announcer && announcer.getAttribute("data-announce")) { announce(announcer.getAttribute("data-announce")); }
    if (focusElement(marked(root, "data-focus-on-load"))) { return; }
    var pointer = marked(root, "data-focus-target");
    if (pointer && focusElement(document.querySelector(pointer.getAttribute("data-focus-target")))) { return; }
    if (!document.activeElement || document.activeElement === document.body) {
      focusElement(document.getElementById("main"));
    }
  });

  /* Read aloud: the browser's speech synthesis, where it exists; the buttons stay hidden elsewhere. */
  var speech = "speechSynthesis" in window && typeof window.SpeechSynthesisUtterance === "function";
  function setUpReadAloud(root) {
    if (!speech) { return; }
    root.querySelectorAll(".read-aloud[hidden]").forEach(function (button) {
      button.hidden = false;
      var label = button.innerHTML;
      button.addEventListener("click", function () {
        if (window.speechSynthesis.speaking) {
          window.speechSynthesis.cancel();
          return;
        }
        var source = button.getAttribute("data-read-aloud");
        var text = button.getAttribute("data-read-aloud-text") ||
          (source && document.querySelector(source) ? document.querySelector(source).innerText : "");
        var utterance = new window.SpeechSynthesisUtterance(text);
        utterance.lang = button.getAttribute("data-lang") === "en" ? "en-GB" : "zh-CN";
        utterance.onend = utterance.onerror = function () { button.innerHTML = label; };
        button.textContent = button.getAttribute("data-label-stop");
        window.speechSynthesis.speak(utterance);
      });
    });
  }

  /* Voice input: the browser's speech recognition, where it exists (the Permissions-Policy allows the
     microphone for this origin only); the button stays hidden elsewhere. */
  var Recognition = window.SpeechRecognition || window.webkitSpeechRecognition;
  /* The voice button's live region, made with the button (it means nothing without JavaScript). */
  function tell(button, key) {
    var status = button.voiceStatus;
    if (!status) {
      status = document.createElement("p");
      status.className = "hint voice-status";
      status.setAttribute("role", "status");
      button.parentNode.insertAdjacentElement("afterend", status);
      button.voiceStatus = status;
    }
    status.textContent = button.getAttribute(key) || "";
  }
  function setUpVoiceInput(root) {
    if (!Recognition) { return; }
    root.querySelectorAll(".voice-input[hidden]").forEach(function (button) {
      var field = document.querySelector(button.getAttribute("data-target"));
      if (!field) { return; }
      button.hidden = false;
      var label = button.textContent, recognition = null;
      button.addEventListener("click", function () {
        if (recognition) { recognition.stop(); return; }
        recognition = new Recognition();
        recognition.lang = button.getAttribute("data-lang") === "en" ? "en-GB" : "zh-CN";
        recognition.interimResults = false;
        var heard = false, failed = false;
        recognition.onresult = function (event) {
          heard = true;
          field.value = (field.value ? field.value + " " : "") + event.results[0][0].transcript;
          tell(button, "data-msg-heard");
          field.focus();
        };
        /* Say why it stopped: a silent reset leaves the resident waiting (issue 11). The typed path stays. */
        recognition.onerror = function (event) {
          failed = true;
          var key = {"no-speech": "data-msg-no-speech", "not-allowed": "data-msg-denied",
                     "service-not-allowed": "data-msg-denied", "audio-capture": "data-msg-denied",
                     "network": "data-msg-network"}[event.error] || "data-msg-failed";
          tell(button, key);
          field.focus();
        };
        recognition.onend = function () {
          if (!heard && !failed) { tell(button, "data-msg-no-speech"); }
          recognition = null; button.textContent = label;
        };
        button.textContent = button.getAttribute("data-label-listening");
        tell(button, "data-msg-listening");
        try { recognition.start(); } catch (error) { recognition = null; button.textContent = label; tell(button, "data-msg-failed"); }
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    setUpReadAloud(document);
    setUpVoiceInput(document);
  });
  document.addEventListener("htmx:afterSettle", function (event) {
    setUpReadAloud(document);
    setUpVoiceInput(document);
  });

  /* WCAG 2.2.1: two minutes before saved answers expire, show the warning with its "keep my answers" button. */
  document.addEventListener("DOMContentLoaded", function () {
    var warning = document.getElementById("timeout-warning");
    if (!warning) { return; }
    var expires = Date.parse(warning.getAttribute("data-expires-at"));
    if (isNaN(expires)) { return; }
    var delay = Math.max(0, expires - Date.now() - 120 * 1000);
    window.setTimeout(function () {
      warning.hidden = false;
      announce(warning.querySelector("p").textContent);
      focusElement(warning);
    }, delay);
  });

  window.portal = { announce: announce };
})();
