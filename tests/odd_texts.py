"""Texts every TF must survive, shared by the rule-based and model-backed contract tests."""

TEXTS = {
    "plain": "The quick brown fox jumps over the lazy dog near the NLP lab.",
    "empty": "",
    "one_word": "Excellent",
    "two_words": "great film",
    "emoji": "🙂 great movie 🎉🎉 loved it",
    "rtl": "هذا فيلم رائع جدا و ממש סרט טוב",
    "combining": "Cafe\u0301 re\u0301sume\u0301 na\u0308ive computer vision",
    "stopwords_only": "the of and to in it is",
    "punctuation_only": "!!! ... ??? ,,, ;;",
    "whitespace": "  \n\t  ",
    "urls": "See https://example.com/nlp and mail me@lab.org about GANs.",
}
