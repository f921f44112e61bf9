"""JiebaTokenizer that cleans its output for mixed Chinese/English text.

* Jieba emits whitespace as tokens on mixed text ("help me 申请 轮椅" -> "help", " ", "me", ...;
  rasa issue 7910). They carry no meaning and break n-gram features, so they are dropped.
* Jieba's dictionary glues a number to 岁 ("七十二岁"), so an `age` entity annotated on the number
  would not align with a token; such tokens are split into the number and the suffix.
Everything else, including the policy-term dictionary given by `dictionary_path`, is JiebaTokenizer's.
"""

from __future__ import annotations

import re

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.tokenizers.jieba_tokenizer import JiebaTokenizer
from rasa.nlu.tokenizers.tokenizer import Token
from rasa.shared.nlu.training_data.message import Message

# a number (Arabic or Chinese numerals) followed by an age suffix, e.g. 七十二岁 / 5周岁
_NUMBER_WITH_SUFFIX = re.compile(r"^([0-9零〇一二两三四五六七八九十百]+)(周岁|岁)$")


def clean_tokens(tokens: list[Token]) -> list[Token]:
    """Drop whitespace tokens; split number+岁 tokens. Offsets stay those of the original text."""
    cleaned: list[Token] = []
    for token in tokens:
        if not token.text.strip():
            continue
        match = _NUMBER_WITH_SUFFIX.match(token.text)
        if match:
            number, suffix = match.group(1), match.group(2)
            cleaned.append(Token(number, token.start))
            cleaned.append(Token(suffix, token.start + len(number)))
            continue
        cleaned.append(token)
    return cleaned


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER], is_trainable=True
)
class CleanJiebaTokenizer(JiebaTokenizer):
    """JiebaTokenizer without whitespace tokens and with numbers split from 岁."""

    def tokenize(self, message: Message, attribute: str) -> list[Token]:
        return clean_tokens(super().tokenize(message, attribute))
