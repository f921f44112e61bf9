"""Voice input tells the truth: when the browser's speech recognition fails, the live region next to the button
says why and points to the text box (issue 11). The recognition service is replaced by a stand-in that fails as
Chrome's does (an ``error`` event, then ``end``); the page's own script is what is tested."""

from __future__ import annotations

import pytest

FAILING_RECOGNITION = """
window.SpeechRecognition = function () {
  var self = this;
  self.start = function () {
    setTimeout(function () {
      if (window.__speechError) { self.onerror && self.onerror({error: window.__speechError}); }
      else { self.onresult && self.onresult({results: [[{transcript: "护理补贴"}]]}); }
      self.onend && self.onend();
    }, 50);
  };
  self.stop = function () {};
};
"""


@pytest.mark.parametrize(
    ("error", "words"),
    [("network", "连不上"), ("not-allowed", "麦克风"), ("no-speech", "没有听到"), (None, "听到了")],
)
def test_voice_input_says_what_happened(browser, portal_url, error, words):
    context = browser.new_context(locale="zh-CN")
    context.add_init_script(FAILING_RECOGNITION + f"window.__speechError = {error!r};".replace("None", "null"))
    page = context.new_page()
    page.goto(portal_url + "/chat")
    button = page.locator("main .voice-input")
    button.click()
    status = page.locator("main .voice-status[role=status]")
    status.filter(has_text=words).wait_for(timeout=5000)
    assert button.inner_text() == "语音输入"  # the button is back, ready to try again
    assert page.locator("main #chat-message").is_visible()  # the typed path stays
    if error is None:
        assert page.locator("main #chat-message").input_value() == "护理补贴"
    context.close()
