import pickle
import re
from difflib import SequenceMatcher

import pandas as pd
import pytest

from textaug import InvalidParameterError
from textaug.records import Record
from textaug.tfs import (
    aeda,
    eda,
    eda_defaults,
    from_nlpaug,
    random_deletion,
    random_insertion,
    random_swap,
    synonym_replacement,
)
from textaug.tfs.eda import stopwords, synonyms_of

SENTENCE = "The actors were brilliant and the clever plot kept me guessing."


def texts(tf, text=SENTENCE, seeds=range(30)):
    outs = [tf(Record({"text": text}), rng=s) for s in seeds]
    return [o.text for o in outs if o is not None]


def words(text):
    return re.findall(r"[^\W\d_]+", text)


def test_synonyms_come_from_wordnet_and_never_the_word_itself():
    assert "automobile" in synonyms_of("car")
    assert "car" not in synonyms_of("car")
    assert "ice lolly" in synonyms_of("lollipop")  # multi-word lemmas read with spaces
    assert all(s.endswith("s") for s in synonyms_of("cars"))  # a plural gets plurals
    assert synonyms_of("running") != () and synonyms_of("the") == ()
    assert synonyms_of("happier") == ()  # an inflected adjective: no wrong-form synonyms


def test_pos_matching_keeps_the_part_of_speech():
    assert "fast" in synonyms_of("quick", pos_match=True)
    nouns_only = synonyms_of("plot", pos_match=True)
    assert "patch" in nouns_only and "secret plan" in nouns_only
    assert "diagram" in synonyms_of("plot") and "diagram" not in nouns_only  # a verb sense


def test_synonym_replacement_replaces_content_words_only():
    stop = stopwords()
    for out in texts(synonym_replacement(alpha_sr=0.3)):
        before = words(SENTENCE)
        diff = SequenceMatcher(None, before, words(out), autojunk=False).get_opcodes()
        replaced = [w for tag, i1, i2, _, _ in diff if tag != "equal" for w in before[i1:i2]]
        assert replaced and not [w for w in replaced if w.lower() in stop]


def test_synonym_replacement_replaces_every_occurrence_with_its_casing():
    text = "Plot twists: the plot thickens. PLOT!"
    for out in texts(synonym_replacement(alpha_sr=0.01, pos_match=True), text):
        first = out.split(" ")[0]
        if first != "Plot":
            assert first[0].isupper() and out.split(": the ")[1].split(" ")[0].islower()
            assert out.rstrip("!").split(". ")[1].isupper()
            break
    else:
        pytest.fail("plot was never replaced")


def test_random_insertion_inserts_synonyms_of_the_text():
    for out in texts(random_insertion(alpha_ri=0.1)):
        added = len(words(out)) - len(words(SENTENCE))
        assert added >= 1
        assert out.startswith("The ")  # nothing inserted before the first word


def test_random_swap_keeps_the_words():
    for out in texts(random_swap(alpha_rs=0.2)):
        assert sorted(w.lower() for w in words(out)) == sorted(w.lower() for w in words(SENTENCE))
        assert out[0].isupper() and out.endswith(".")


@pytest.mark.parametrize(("text", "expected"), [
    ("greaseballs mob action comedy", "mob greaseballs action comedy"),
    ("in the U.S. today and later", "in the U.S. and today later"),
    ("first line\nsecond line", "first line\nline second"),
    ("the new iPhone", "iPhone new the"),
    ("aA bB", "bB aA"),
    ("Greaseballs Mob Action Comedy", "Mob Greaseballs Action Comedy"),  # Title Case stays
])
def test_random_swap_moves_words_with_their_own_letters(text, expected):
    """Issue 13: no capital the text never had, no mixed-case word re-cased."""
    outs = texts(random_swap(alpha_rs=0.1), text, seeds=range(60))  # one swap each
    assert expected in outs
    assert all(sorted(words(o)) == sorted(words(text)) for o in outs)  # case-sensitive


@pytest.mark.parametrize(("text", "kept"), [
    ("In the U.S. Congress voted today.", {"U", "S", "Congress"}),  # after an abbreviation
    ("This is a long\nsentence that wraps.", set()),  # a line start written in lower case
    ("A dog and I ran home.", {"I"}),
])
def test_random_swap_moves_a_sentence_start_capital_in_sentence_case(text, kept):
    outs = texts(random_swap(alpha_rs=0.5), text, seeds=range(60))
    assert len(set(outs)) > 10
    for out in outs:
        first, *rest = words(out)
        assert first[0].isupper(), out
        assert {w for w in rest if not w.islower()} <= kept <= {first, *rest}, out
        assert sorted(w.lower() for w in words(out)) == sorted(w.lower() for w in words(text))


def test_random_swap_keeps_sentence_starts_capitalised():
    text = "First line here.\nSecond one. Then more words follow: Fine"
    starts = {0, 3, 5, 9}
    outs = texts(random_swap(alpha_rs=0.5), text, seeds=range(60))
    for out in outs:
        found = words(out)
        assert all(found[i][0].isupper() == (i in starts) for i in range(len(found))), out
    assert any(words(out)[0] != "First" for out in outs)


def test_random_deletion_never_deletes_every_word():
    tf = random_deletion(p_rd=1.0, min_words=2)
    outs = texts(tf, "good movie")
    assert outs and set(outs) <= {"good", "movie"}
    assert tf(Record({"text": "Excellent!"}), rng=0) is None
    assert all("  " not in out for out in texts(random_deletion(p_rd=0.4)))


@pytest.mark.parametrize("text", ["no bluetooth", "Not good!", "no bluetooth 4.0",
                                  "no bluetooth https://x.org"])
def test_random_deletion_leaves_texts_under_min_words_alone(text):
    assert texts(random_deletion(p_rd=0.5), text) == []  # "no bluetooth" -> "bluetooth"
    assert texts(random_deletion(p_rd=0.5, min_words=2), text)


def test_min_words_counts_the_words_deletion_may_delete():
    assert texts(random_deletion(p_rd=0.5), "no bluetooth support")
    assert texts(random_deletion(p_rd=0.5, protect=["bluetooth"]), "no bluetooth support") == []
    assert texts(random_deletion(p_rd=0.5, min_words=5), "one two three four") == []
    assert texts(random_deletion(p_rd=0.5, min_words=4), "one two three four")
    # eda draws another operation on a short text: every output keeps both words
    outs = texts(eda(alpha=0.5), "no bluetooth", seeds=range(40))
    assert outs and all(sorted(words(o)) == ["bluetooth", "no"] for o in outs)
    assert any(len(words(o)) == 1 for o in texts(eda(alpha=0.5, min_words=2), "no bluetooth",
                                                 seeds=range(40)))


def test_eda_applies_one_operation_and_falls_back():
    outs = texts(eda(alpha=0.1), seeds=range(40))
    assert len(set(outs)) > 20
    # no synonyms anywhere: synonym ops do not apply, swap or deletion still do
    assert texts(eda(alpha=0.1), "zzxq qqzx", seeds=range(5))


@pytest.mark.parametrize("make", [eda, synonym_replacement, random_insertion])
def test_synonym_tfs_read_ahead_and_give_the_same_outputs_with_or_without(make, monkeypatch):
    from textaug import ApplyOnePolicy, augment, synonym_table

    frame = pd.DataFrame({"text": [SENTENCE, "Fast cars, quick dogs and e-mail.", "zzxq qqzx"]})
    policy = ApplyOnePolicy(n_per_original=4)
    tf = make()
    assert tf.prefetch is not None and random_swap().prefetch is None
    synonym_table.close()
    synonyms_of.cache_clear()
    ahead = augment(frame, [tf], policy, seed=3)
    assert {"cars", "dogs", "actors", "clever"} <= set(synonym_table._rows)
    synonym_table.close()
    synonyms_of.cache_clear()
    plain = pickle.loads(pickle.dumps(tf))
    plain.prefetch = None
    pd.testing.assert_frame_equal(ahead, augment(frame, [plain], policy, seed=3))
    assert not synonym_table._rows  # no batch read ahead
    # a read ahead that fails fails nothing: each row looks its own words up
    synonym_table.close()
    synonyms_of.cache_clear()
    monkeypatch.setattr(synonym_table, "prefetch", lambda texts: 1 / 0)
    pd.testing.assert_frame_equal(ahead, augment(frame, [tf], policy, seed=3))


@pytest.mark.parametrize(("size", "expected"), [
    (200, (0.05, 16)), (500, (0.05, 16)), (1_500, (0.05, 8)), (2_000, (0.05, 8)),
    (5_000, (0.1, 4)), (1_000_000, (0.1, 4))])
def test_paper_defaults_by_training_size(size, expected):
    assert eda_defaults(size) == expected


def test_eda_alpha_from_train_size():
    assert eda(train_size=500).resources["alpha"] == 0.05
    assert eda().resources["alpha"] == 0.1


@pytest.mark.parametrize("make", [
    lambda: synonym_replacement(alpha_sr=0), lambda: random_insertion(alpha_ri=1.5),
    lambda: random_swap(alpha_rs=-0.1), lambda: random_deletion(p_rd=2),
    lambda: eda(alpha=0), lambda: aeda(punc_ratio=0), lambda: aeda(punctuation=[]),
    lambda: eda_defaults(0), lambda: random_deletion(min_words=0),
    lambda: random_deletion(min_words=2.5), lambda: eda(min_words=True)])
def test_bad_parameters_fail_at_construction(make):
    with pytest.raises(InvalidParameterError, match="parameter of"):
        make()


def test_aeda_inserts_marks_and_nothing_else():
    for text in ("a gripping, well acted film", "Wow", "great film"):
        outs = texts(aeda(), text)
        assert outs and all(words(o) == words(text) for o in outs)
        assert all(o.count(" ") <= text.count(" ") + 2 for o in outs)


def test_nlpaug_bridge_is_reproducible_and_reports_no_change():
    import nlpaug.augmenter.word as naw

    tf = from_nlpaug(naw.RandomWordAug(action="swap"))
    x = Record({"text": "one two three four five six"})
    assert tf(x, rng=3).text == tf(x, rng=3).text
    outs = [tf(x, rng=s) for s in range(10)]
    assert len({o.text for o in outs if o is not None}) > 3
    assert tf(Record({"text": "single"}), rng=0) is None  # nlpaug returns it unchanged
    with pytest.raises(InvalidParameterError, match="nlpaug augmenter"):
        from_nlpaug(object())
    assert from_nlpaug(naw.RandomWordAug(action="delete"), name="drop").name == "drop"


def test_deletion_positions_follow_independent_bernoulli_draws():
    from collections import Counter

    from textaug._rng import Rng

    rng, counts, sizes = Rng(0), Counter(), Counter()
    for _ in range(20_000):
        chosen = rng.bernoulli_positions(10, 0.2)
        counts.update(chosen)
        sizes[len(chosen)] += 1
    assert all(abs(counts[i] / 20_000 - 0.2) < 0.015 for i in range(10))
    assert abs(sizes[0] / 20_000 - 0.8**10) < 0.01  # P(no position) of a binomial
    assert rng.bernoulli_positions(5, 1.0) == [0, 1, 2, 3, 4]


def test_deletion_draws_words_only_each_alike_and_counts_as_the_paper():
    """Drawn over chunks, kept where a chunk holds a word: the same law as drawing over words."""
    from collections import Counter

    text = "alpha 42 beta (v2) gamma, delta 2024 epsilon"
    words_in = ["alpha", "beta", "gamma", "delta", "epsilon"]
    tf, gone, sizes = random_deletion(p_rd=0.3), Counter(), Counter()
    for seed in range(4000):
        left = tf(Record({"text": text}), rng=seed).text
        assert all(kept in left for kept in ("42", "(v2)", "2024"))
        lost = [w for w in words_in if w not in left]
        gone.update(lost)
        sizes[len(lost)] += 1
    assert all(abs(gone[w] / 4000 - gone["alpha"] / 4000) < 0.04 for w in words_in)
    # no word drawn (0.7**5) or one drawn: one goes; all five drawn: four go
    assert abs(sizes[1] / 4000 - (0.7**5 + 5 * 0.3 * 0.7**4)) < 0.03
    assert sizes[0] == 0 and abs(sizes[4] / 4000 - (5 * 0.3**4 * 0.7 + 0.3**5)) < 0.01
    # almost never drawn: the one word that goes is drawn uniformly, numbers never
    rare, picked = random_deletion(p_rd=1e-9), Counter()
    for seed in range(2000):
        picked.update(w for w in words_in if w not in rare(Record({"text": text}), rng=seed).text)
    assert sum(picked.values()) == 2000
    assert all(abs(picked[w] / 2000 - 0.2) < 0.03 for w in words_in)
    protected = random_deletion(p_rd=0.9, protect=["gamma"])
    assert all("gamma" in protected(Record({"text": text}), rng=s).text for s in range(200))


def test_swap_draws_word_pairs_uniformly_and_never_moves_other_chunks():
    """Pairs of words are drawn uniformly; numbers and other chunks never move."""
    from collections import Counter

    text = "42 alpha (v2) beta 2024 gamma"
    tf, seen = random_swap(alpha_rs=0.1), Counter()
    for seed in range(3000):
        out = tf(Record({"text": text}), rng=seed).text
        assert out.split()[0::2] == ["42", "(v2)", "2024"]
        seen[out] += 1
    assert set(seen) == {"42 beta (v2) alpha 2024 gamma", "42 gamma (v2) beta 2024 alpha",
                         "42 alpha (v2) gamma 2024 beta"}
    assert all(abs(count / 3000 - 1 / 3) < 0.04 for count in seen.values())
    many = " ".join("x" * n for n in range(1, 31))  # 30 different words: 3 swaps
    outs = [tf(Record({"text": many}), rng=s) for s in range(200)]
    moved = [0 if out is None else sum(a != b for a, b in zip(out.text.split(), many.split(),
                                                              strict=True)) for out in outs]
    assert max(moved) == 6 and sum(moved) / len(moved) > 5


@pytest.mark.parametrize("seed", range(20))
def test_synonym_replacement_and_insertion_leave_acronyms_and_mixed_case_names(seed):
    """'AI' -> 'THREE-TOED SLOTH', 'ALBERT' -> a person: names have no synonyms."""
    x = Record({"text": "AI and ALBERT on an iPhone make good models"})
    for tf in (synonym_replacement(alpha_sr=1.0), random_insertion(alpha_ri=1.0)):
        out = tf(x, rng=seed)
        assert out is not None
        words = out.text.split()
        assert [w for w in words if w.isupper() or w == "iPhone"] == ["AI", "ALBERT", "iPhone"]


SWAP_CHUNKS = ["The", "cat", "Dog", "sat.", "A", "iPhone", "NLP", "(big)", "U.S.", "end!",
               "why?", "e.g.", "Note:", "run", "I", "A.", "x2"]


@pytest.mark.parametrize("seed", range(40))
def test_swap_recasing_by_position_agrees_with_the_full_rules(seed, monkeypatch):
    """Where only the first chunk can start a sentence, recasing is decided by position;
    the full sentence-start rules give the same texts."""
    import random

    from textaug.words import Words

    picker = random.Random(seed)
    texts = [" ".join(picker.choice(SWAP_CHUNKS) for _ in range(picker.randint(2, 12)))
             for _ in range(30)]
    texts += [t.replace(".", "").replace("!", "").replace("?", "").replace(":", "") for t in texts]
    swap = random_swap(alpha_rs=0.3)
    fast = [swap(Record({"text": t}), rng=seed) for t in texts]
    monkeypatch.setattr(Words, "one_sentence", property(lambda found: False))
    full = [swap(Record({"text": t}), rng=seed) for t in texts]
    assert [None if r is None else r.text for r in fast] == [
        None if r is None else r.text for r in full]
