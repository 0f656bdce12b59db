"""bench/lib/rankfeatures.py: the features bench/learn_ranking.py's model reads, on a small hand-written story."""

import sys
from pathlib import Path

import pytest

from digest.compose.context import StoryContext
from digest.models import Article, CleanArticle, Paragraph, Story

# The features are a bench experiment on ROUGE's tokens: rouge-score comes with the bench extra (`make bench`),
# not with the test one, so a plain `make test` checkout skips this module.
pytest.importorskip("rouge_score", reason="bench/lib/rankfeatures.py needs the bench extra (make bench)")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench" / "lib"))
import rankfeatures  # noqa: E402

LEDE = "Vandoria and Kestria signed a water pact on Tuesday in the border town of Ellis."
SHARED = "The pact divides the flow of the Aron river between the two countries."
ASIDE = "A brass band from a nearby school played before the ceremony began."


def _context(articles: dict[str, tuple[str, list[str]]]) -> StoryContext:
    cleaned = []
    for aid, (outlet, paragraphs) in articles.items():
        article = Article(aid, "\n\n".join(paragraphs), title=None, outlet=outlet, published="2024-05-08")
        cleaned.append(CleanArticle(article, tuple(Paragraph(aid, i, t) for i, t in enumerate(paragraphs))))
    return StoryContext(Story("s", tuple(cleaned)), [])


@pytest.fixture
def ctx() -> StoryContext:
    return _context({"a": ("Daily Post", [LEDE, SHARED, ASIDE]),
                     "b": ("Evening Star", [LEDE, "Officials said the pact divides the flow of the Aron river."]),
                     "c": ("River News", [LEDE, SHARED])})


def test_every_feature_is_computed_and_named(ctx):
    f = rankfeatures.features(ctx, SHARED, ("a", "c"), 1, "key_facts")
    assert tuple(f) == rankfeatures.FEATURES


def test_support_lede_and_position_follow_the_sources_and_the_sentence_index(ctx):
    f = rankfeatures.features(ctx, SHARED, ("a", "c"), 1, "key_facts")
    assert f["support_share"] == pytest.approx(2 / 3)
    assert f["lede"] == pytest.approx(1 / 2)
    assert f["position"] == pytest.approx(1 / 2.5)  # index 1 over the mean of 3 and 2 sentences
    assert f["quote_section"] == 0.0 and f["timed"] == 0.0
    assert rankfeatures.features(ctx, SHARED, ("a",), 1, "quotes", timed=True)["quote_section"] == 1.0


def test_phrases_and_terms_several_outlets_print_score_above_an_aside_one_page_prints(ctx):
    shared = rankfeatures.features(ctx, SHARED, ("a", "c"), 1, "key_facts")
    aside = rankfeatures.features(ctx, ASIDE, ("a",), 2, "key_facts")
    assert shared["phrase_echo"] == 1.0  # every word pair is printed by two or more outlets
    assert aside["phrase_echo"] == 0.0  # one page alone prints it
    assert shared["spread"] > aside["spread"]
    assert shared["specificity"] < aside["specificity"]  # the aside's terms are rare in the story
    assert shared["lead_similarity"] > aside["lead_similarity"] == 0.0


def test_a_story_of_one_outlet_counts_phrases_repeated_in_its_sentences():
    ctx = _context({"a": ("Daily Post", [LEDE, SHARED, "Since then the flow of the Aron river has been measured."])})
    f = rankfeatures.features(ctx, "The flow of the Aron river fell.", ("a",), 1, "key_facts")
    pairs = 6  # the flow, flow of, of the, the aron, aron river, river fell
    # All but "river fell" are printed by two of the story's sentences ("The flow" lower-cased is "the flow").
    assert f["phrase_echo"] == pytest.approx(5 / pairs)


def test_token_spread_counts_the_other_articles_printing_each_token(ctx):
    # Every token of the lede is printed by both other articles; the aside's by neither, but for "the",
    # "a" ... that the other articles print too.
    lede = rankfeatures.features(ctx, LEDE, ("a",), 0, "key_facts")
    aside = rankfeatures.features(ctx, ASIDE, ("a",), 2, "key_facts")
    assert lede["token_spread"] == 1.0
    assert 0.0 < aside["token_spread"] < 0.5
