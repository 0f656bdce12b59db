"""Builders for the cluster tests: CleanArticles straight from text, no ingest/clean needed."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from digest.models import Article, CleanArticle, Paragraph

SEEDS = Path(__file__).resolve().parents[1] / "seeds"


def article(article_id: str, text: str, outlet: str | None = None, title: str | None = None) -> CleanArticle:
    """A CleanArticle whose paragraphs are the non-empty lines of ``text``."""
    lines = [line.strip() for line in re.split(r"\n+", text) if line.strip()]
    paragraphs = tuple(Paragraph(article_id, i, line) for i, line in enumerate(lines))
    return CleanArticle(Article(id=article_id, text=text, outlet=outlet or article_id, title=title), paragraphs)


def seed_articles() -> list[CleanArticle]:
    """The seed files, one outlet each, split on newlines (short lines of under four words left out)."""
    result = []
    for number, path in enumerate(sorted(SEEDS.glob("*.txt"))):
        text = path.read_text(encoding="utf-8")
        kept = "\n".join(line for line in text.splitlines() if len(line.split()) >= 4)
        result.append(article(f"seed-{number}", kept, outlet=f"outlet-{number}"))
    return result


FOOTBALL = """Arsenal beat Tottenham 3-1 in the north London derby at the Emirates Stadium on Sunday, moving two points clear at the top of the Premier League.
Bukayo Saka opened the scoring after 12 minutes with a curling shot into the far corner before Son Heung-min equalised for Spurs just before half-time.
Second-half goals from Martin Odegaard and Gabriel Jesus sealed the win for Mikel Arteta's side, who have now won six league matches in a row.
"The players showed great character after conceding, and the crowd pushed us all the way," Arteta told reporters after the final whistle.
Tottenham manager Ange Postecoglou said his team had been second best and admitted the defeat was a setback in their push for a Champions League place."""

FOOTBALL_2 = """Arsenal moved two points clear at the top of the Premier League with a 3-1 derby win over Tottenham at the Emirates on Sunday.
Saka curled in the opener, Son levelled before the break, and Odegaard and Jesus scored after half-time as Arteta's side made it six league wins in a row.
"The players showed great character after conceding, and the crowd pushed us all the way," Arteta said.
Postecoglou conceded that Spurs had been second best in the derby."""

CENTRAL_BANK = """The European Central Bank raised its main deposit rate by a quarter of a percentage point to 4 percent on Thursday, its tenth consecutive increase, to fight inflation in the euro zone.
ECB President Christine Lagarde told a news conference in Frankfurt that borrowing costs had reached levels that, if maintained for long enough, would help bring inflation back to the 2 percent target.
Economists said the decision was a close call, with several members of the Governing Council arguing for a pause because of the weakening economy.
The bank cut its growth forecasts for this year and next, and said inflation would average 5.6 percent in 2023 before easing to 3.2 percent in 2024.
The euro fell against the dollar after the announcement as traders bet the rate-hiking cycle was over."""


# --- tests ------------------------------------------------------------------------

from dataclasses import replace  # noqa: E402

from hypothesis import given, settings as hypothesis_settings, strategies as st  # noqa: E402

from digest.cluster import cluster_paragraphs, group_stories  # noqa: E402
from digest.models import Story  # noqa: E402
from digest.settings import Settings  # noqa: E402
from digest.similarity import all_pairs_matches, is_near_duplicate, near_duplicate_pairs  # noqa: E402
from digest.text import _name_words_by_every_token, normalise, split_sentences  # noqa: E402

SETTINGS = Settings()
QUOTE = "Putin accepted the invitation with pleasure and reaffirmed his will to carry forward the friendship"


def test_normalise_unifies_quotes_dashes_and_hyphenated_names():
    assert normalise("“Kim Jong-un” — said") == normalise('"Kim Jong Un" - SAID') == "kim jong un said"


def test_split_sentences_keeps_abbreviations_and_closing_quotes():
    assert split_sentences('Mr. Kim said "yes." The U.S. said no. Then it ended.') == [
        'Mr. Kim said "yes."',
        "The U.S. said no.",
        "Then it ended.",
    ]


def test_same_quote_with_other_marks_and_attribution_is_near_duplicate():
    assert is_near_duplicate(f'"{QUOTE}," KCNA said.', f"“{QUOTE},” the agency said.", SETTINGS)
    assert is_near_duplicate(f'"{QUOTE}," it said.', f"“{QUOTE},” KCNA said on Thursday, using the country's name.", SETTINGS)


def test_containment_of_a_sentence_in_a_longer_paragraph():
    short = "Since the 2022 invasion of Ukraine, Putin has rarely travelled abroad."
    long = "Mr Putin accepted the invitation, state media said, though the Kremlin did not confirm it. " + short
    assert is_near_duplicate(short, long, SETTINGS)


def test_unrelated_and_scattered_words_are_not_near_duplicates():
    assert not is_near_duplicate(QUOTE, "Arsenal beat Tottenham 3-1 in the north London derby on Sunday.", SETTINGS)
    scattered = "Friendship was on the menu; pleasure was rare. Putin said his will, not the invitation, would carry forward."
    assert not is_near_duplicate(QUOTE, scattered, SETTINGS)


def test_blocking_finds_what_all_pairs_finds():
    texts = [
        f'"{QUOTE}," KCNA said.',
        f"“{QUOTE},” the agency said.",
        "The central bank raised its main rate by a quarter point to fight inflation in the euro zone.",
        "The central bank raised its main interest rate by a quarter point to fight inflation.",
        "Arsenal beat Tottenham 3-1 in the north London derby on Sunday.",
        "",
        "the and of",
    ]
    assert near_duplicate_pairs(texts, SETTINGS) == set(all_pairs_matches(texts, SETTINGS)) == {(0, 1), (2, 3)}


def _story(*texts_by_article: list[str]) -> Story:
    return Story("s", tuple(article(f"a{k}", "\n".join(texts)) for k, texts in enumerate(texts_by_article)))


def test_no_chaining_through_a_long_paragraph():
    first = "The central bank raised its main interest rate by a quarter point on Thursday to fight inflation."
    second = "Arsenal beat Tottenham three goals to one in the north London derby at the Emirates on Sunday."
    clusters = cluster_paragraphs(_story([first + " " + second], [first], [second]), SETTINGS)
    together = [c for c in clusters if {"a1", "a2"} <= set(c.article_ids)]
    assert not together


def test_seed_story_is_kept_whole_and_separate_from_unrelated_articles():
    seeds = seed_articles()
    planted = Paragraph(seeds[0].article.id, 999, "Arsenal beat Tottenham 3-1 in the north London derby on Sunday with goals from Saka, Odegaard and Jesus.")
    seeds[0] = replace(seeds[0], paragraphs=seeds[0].paragraphs + (planted,))
    others = [article("fb-1", FOOTBALL, "Sport Daily"), article("fb-2", FOOTBALL_2, "Goal News"), article("ecb-1", CENTRAL_BANK, "Rates Weekly")]
    stories = group_stories(others + seeds, SETTINGS)
    assert [len(s.outlets) for s in stories] == [5, 2, 1]
    assert [s.id for s in stories] == ["story-1", "story-2", "story-3"]
    seed_story = stories[0]
    assert {a.article.id for a in seed_story.articles} == {a.article.id for a in seeds}
    dropped = [d.paragraph for d in seed_story.off_story]
    assert planted in dropped and all(d.stage == "cluster" for d in seed_story.off_story)
    assert not any("Putin" in p.text or "Kim" in p.text for p in dropped)
    assert planted not in seed_story.paragraphs


def test_keeping_the_first_stories_judges_their_paragraphs_as_the_whole_grouping_does():
    seeds = seed_articles()
    planted = Paragraph(seeds[0].article.id, 999, "Arsenal beat Tottenham 3-1 in the north London derby on Sunday with goals from Saka, Odegaard and Jesus.")
    seeds[0] = replace(seeds[0], paragraphs=seeds[0].paragraphs + (planted,))
    others = [article("fb-1", FOOTBALL, "Sport Daily"), article("fb-2", FOOTBALL_2, "Goal News"), article("ecb-1", CENTRAL_BANK, "Rates Weekly")]
    whole = group_stories(others + seeds, SETTINGS)
    seen = []
    for keep in range(len(whole) + 2):
        kept = group_stories(others + seeds, SETTINGS, lambda done, total: seen.append((done, total)), keep=keep)
        # the planted paragraph is still judged against the stories that are not kept
        assert kept == whole[:keep]
    assert planted in [d.paragraph for d in whole[0].off_story]
    assert seen[-1] == (len(whole), len(whole))  # progress still counts every story found


def test_seed_clusters_join_the_agency_quote_across_outlets_and_sentences():
    story = group_stories(seed_articles(), SETTINGS)[0]
    clusters = cluster_paragraphs(story, SETTINGS)
    quote = next(c for c in clusters if any("accepted the invitation with pleasure" in m.text for m in c.members))
    assert len(quote.article_ids) == 4
    timeline = next(c for c in clusters if any(m.text.startswith("However, no timeline") for m in c.members))
    assert len(timeline.article_ids) == 2  # a sentence split out of a longer paragraph joined another outlet's
    assert len({c.id for c in clusters}) == len(clusters)


def test_empty_story_has_no_clusters_and_no_articles_no_stories():
    assert cluster_paragraphs(Story("s", ()), SETTINGS) == []
    assert group_stories([], SETTINGS) == []


# --- properties ---------------------------------------------------------------------

SENTENCES = [
    QUOTE + ".",
    "The central bank raised its main interest rate by a quarter point on Thursday.",
    "Arsenal beat Tottenham three goals to one in the north London derby.",
    "Officials said the talks would continue next month in the capital.",
    "Prices rose faster than expected in October, the statistics office said.",
    "He did not say when the visit would take place.",
]
paragraph_text = st.lists(st.sampled_from(SENTENCES), min_size=1, max_size=3).map(" ".join)
articles_text = st.lists(st.lists(paragraph_text, min_size=1, max_size=4), min_size=1, max_size=4)


def _cover(clusters) -> dict[tuple[str, int], list[str]]:
    pieces: dict[tuple[str, int], list[str]] = {}
    for cluster in clusters:
        for member in cluster.members:
            pieces.setdefault((member.article_id, member.position), []).append(member.text)
    return pieces


@hypothesis_settings(max_examples=40, deadline=None)
@given(articles_text)
def test_every_paragraph_lands_in_exactly_one_cluster(texts):
    story = _story(*texts)
    pieces = _cover(cluster_paragraphs(story, SETTINGS))
    assert set(pieces) == {(p.article_id, p.position) for p in story.paragraphs}
    for paragraph in story.paragraphs:
        assert " ".join(pieces[(paragraph.article_id, paragraph.position)]).split() == paragraph.text.split()


@hypothesis_settings(max_examples=40, deadline=None)
@given(articles_text, st.randoms(use_true_random=False))
def test_input_order_does_not_change_clusters(texts, random):
    story = _story(*texts)
    articles = [replace(a, paragraphs=tuple(random.sample(a.paragraphs, len(a.paragraphs)))) for a in story.articles]
    random.shuffle(articles)
    shuffled = Story("s", tuple(articles))
    assert cluster_paragraphs(shuffled, SETTINGS) == cluster_paragraphs(story, SETTINGS)


def test_pairs_of_tiny_inputs_and_progress_reports():
    assert near_duplicate_pairs([], SETTINGS) == set()
    assert near_duplicate_pairs([QUOTE], SETTINGS) == set()
    calls: list[tuple[int, int]] = []
    texts = [f'"{QUOTE}," KCNA said.', f"“{QUOTE},” the agency said."]
    assert near_duplicate_pairs(texts, SETTINGS, progress=lambda done, total: calls.append((done, total))) == {(0, 1)}
    assert calls and calls[-1] == (2, 2)


def test_single_outlet_story_is_kept():
    stories = group_stories([article("ecb-1", CENTRAL_BANK, "Rates Weekly")], SETTINGS)
    assert len(stories) == 1 and stories[0].outlets == ("Rates Weekly",)
    assert stories[0].paragraphs == article("ecb-1", CENTRAL_BANK, "Rates Weekly").paragraphs


# --- story linkage: sparse per component, TF-IDF without scikit-learn -------------------------

import math  # noqa: E402

import numpy as np  # noqa: E402
from scipy import sparse  # noqa: E402
from scipy.cluster.hierarchy import fcluster, linkage  # noqa: E402

from digest.cluster import linkage as linkage_module  # noqa: E402
from digest.cluster import offstory as offstory_module  # noqa: E402
from digest.cluster import paragraphs as paragraphs_module  # noqa: E402
from digest.cluster import stories as stories_module  # noqa: E402
from digest.cluster import terms as terms_module  # noqa: E402


def _partition(labels) -> set[frozenset[int]]:
    groups: dict[int, set[int]] = {}
    for index, label in enumerate(labels):
        groups.setdefault(int(label), set()).add(index)
    return {frozenset(g) for g in groups.values()}


def _dense_average_linkage(matrix, threshold: float) -> set[frozenset[int]]:
    """Reference: scipy's average linkage on the whole dense distance matrix, merges below the cut."""
    distance = np.clip(1.0 - (matrix @ matrix.T).toarray(), 0.0, 2.0)
    np.fill_diagonal(distance, 0.0)
    n = distance.shape[0]
    tree = linkage(distance[np.triu_indices(n, k=1)], method="average")
    # fcluster keeps merges at distances <= t; the story cut keeps those strictly below it.
    below = tree[tree[:, 2] < 1.0 - threshold, 2]
    t = below.max() if len(below) else -1.0
    return _partition(fcluster(tree, t, criterion="distance") if len(below) else range(n))


def _random_topics(seed: int, n: int, topics: int, terms: int = 60):
    """Unit rows: each a noisy mix of one topic's terms and a few common ones (clear and borderline pairs)."""
    rng = np.random.default_rng(seed)
    rows = []
    for _ in range(n):
        topic = rng.integers(topics)
        row = np.zeros(terms * (topics + 1))
        row[topic * terms + rng.choice(terms, 8, replace=False)] = rng.random(8)
        row[topics * terms + rng.choice(terms, 4, replace=False)] = rng.random(4) * 0.5
        rows.append(row / np.linalg.norm(row))
    return sparse.csr_matrix(np.array(rows))


def test_story_labels_per_component_equal_average_linkage_on_the_whole_matrix():
    for seed in range(6):
        matrix = _random_topics(seed, 70, 6)
        for threshold in (0.1, 0.15, 0.3):
            assert _partition(stories_module.story_labels(matrix, threshold)) == _dense_average_linkage(matrix, threshold)


def test_small_and_scipy_linkage_give_the_same_groups():
    for seed in range(6):
        matrix = _random_topics(seed, 40, 4)
        small = {frozenset(g.tolist()) for g in linkage_module._small_linkage(linkage_module._gram(matrix), 0.85)}
        big = {frozenset(g.tolist()) for g in linkage_module._scipy_linkage(matrix, 0.85)}
        assert small == big and len(big) > 1


def test_a_component_too_large_to_link_is_cut_into_bounded_parts_of_it(monkeypatch):
    from scipy.sparse.csgraph import connected_components

    matrix = _random_topics(3, 80, 2)
    similarity = (matrix @ matrix.T).toarray()
    _, component = connected_components(sparse.csr_matrix(similarity > 0.15), directed=False)
    assert np.bincount(component).max() > 12  # the bound below is really met
    monkeypatch.setattr(linkage_module, "LINKAGE_MAX_ARTICLES", 12)
    bounded = _partition(stories_module.story_labels(matrix, 0.15))
    assert max(len(part) for part in bounded) <= 12
    assert all(len({component[i] for i in part}) == 1 for part in bounded)
    assert any(len(part) > 1 for part in bounded)


def test_tfidf_weights_are_sublinear_tf_times_smoothed_idf_in_unit_rows():
    documents = ["senate budget vote senate", "senate budget talks", "harbour ferry strike"]
    vectorizer, matrix = terms_module._tfidf(documents)
    # Terms held by two or more documents only: "senate", "budget" and their pair.
    assert sorted(vectorizer.vocabulary) == ["budget", "senate", "senate budget"]
    idf = math.log(4 / 3) + 1
    first = np.array([idf, (1 + math.log(2)) * idf, idf])  # budget, senate (twice), senate budget
    expected = first / np.linalg.norm(first)
    row = matrix[0].toarray().ravel()[[vectorizer.vocabulary[t] for t in ("budget", "senate", "senate budget")]]
    assert np.allclose(row, expected)
    assert matrix[2].nnz == 0  # shares nothing: its own story
    paragraph = vectorizer.transform(["The senate met.", "ferry"])
    assert np.isclose(paragraph[0, vectorizer.vocabulary["senate"]], 1.0) and paragraph[1].nnz == 0


def test_best_other_story_skips_own_story_and_breaks_ties_by_first_story():
    similarity = sparse.csr_matrix(np.array([[0.9, 0.3, 0.3], [0.0, 0.0, 0.0], [0.2, 0.5, 0.1]]))
    best, value = offstory_module._best_other_story(similarity, np.array([0, 0, 1]))
    assert best.tolist() == [1, 0, 0] and np.allclose(value, [0.3, 0.0, 0.2])


def test_name_words_are_capitalised_inside_a_sentence_not_first_words_or_headings():
    text = "Officials said Mayor Alice Brennan opened it. The bridge cost more.\nBREAKING NEWS from Harbourton today"
    # "Officials" and "The" open sentences; "BREAKING" and "NEWS" are a heading in capitals.
    assert terms_module.name_words(text) == {"mayor", "alice", "brennan", "harbourton"}


def test_grouping_weighs_names_and_the_lede_more_than_other_terms():
    documents = [
        "Harbour vote\nCouncillors backed Brennan on the harbour plan.\nLater text.\nthe ferry plan and harbour",
        "Harbour vote\nCouncillors backed Brennan on the harbour plan.\nLater text.\nthe ferry plan",
        "ferry timetable",
    ]
    vectorizer, plain = terms_module._tfidf(documents)
    weighted = terms_module._grouping_matrix(documents, vectorizer, plain)
    column = vectorizer.vocabulary

    def ratio(matrix, a: str, b: str) -> float:
        return matrix[1, column[a]] / matrix[1, column[b]]

    # "brennan" (a name) and "councillors" (not: it opens the sentence) have the same count and idf.
    assert np.isclose(ratio(plain, "brennan", "councillors"), 1.0)
    assert np.isclose(ratio(weighted, "brennan", "councillors"), terms_module.NAME_WEIGHT)
    # "harbour" is in the lede (counted twice), "ferry" only after it; both in two documents.
    assert ratio(weighted, "councillors", "ferry") > ratio(plain, "councillors", "ferry")
    assert np.allclose(np.asarray(weighted.multiply(weighted).sum(axis=1)).ravel(), 1.0)


def test_a_name_many_articles_hold_gains_less_weight_than_a_rare_one():
    documents = [
        "Vote\nOn the plan Ms Brennan and Mr Okafor spoke.\nMore.\nmore",
        "Vote\nOn the plan Ms Brennan and Mr Okafor spoke.\nMore.\nmore",
        "Vote\nOn the ferry Ms Brennan spoke.\nMore.\nmore",
        "Vote\nOn the ferry Ms Brennan spoke.\nMore.\nmore",
    ]
    vectorizer, plain = terms_module._tfidf(documents)
    weighted = terms_module._grouping_matrix(documents, vectorizer, plain)
    column = vectorizer.vocabulary

    def gain(term: str) -> float:  # weighted over plain, against the plain word "plan" of the same row
        return (weighted[0, column[term]] / weighted[0, column["plan"]]) / (plain[0, column[term]] / plain[0, column["plan"]])

    assert np.isclose(gain("okafor"), terms_module.NAME_WEIGHT)  # held by two articles: the rarest shared
    assert 1.0 <= gain("brennan") < gain("okafor")  # held by all four


# --- two events of one topic in one story ------------------------------------------------------

SEARCH_PINGS = """Search ships looking for missing Coralline Air Flight 512 picked up pulse signals in the southern ocean on Saturday.
The Haixun patrol vessel heard the pings at a frequency used by flight recorders, the search coordinator Angus Mereweather said.
Coralline Air Flight 512 vanished with 180 passengers on board, and the search in the southern ocean has found no wreckage.
Mereweather said the Haixun signals were a promising lead but the pings had not been confirmed by a second ship."""
SEARCH_PINGS_2 = """A patrol ship searching the southern ocean for Coralline Air Flight 512 detected pings, said search coordinator Angus Mereweather.
The Haixun crew recorded the pulse signals twice on Saturday, and an aircraft was sent to the area.
Flight 512 disappeared with 180 passengers on board; no wreckage has been found in the search.
The batteries of the flight recorders' beacons may soon run out, Mereweather warned."""
SEARCH_THEORY = """Statisticians say a probability map is the best way to find missing Coralline Air Flight 512, which vanished with 180 passengers on board.
Professor Ilse Varnhagen used Bayesian search theory to locate a lost airliner in another ocean years ago.
The method weighs every clue, from radar data to drift models, and updates the probability map as the search goes on.
Varnhagen said the southern ocean search should follow the probability map rather than hunches.
Ships searching the southern ocean heard pulse signals, but the pings were not confirmed, search coordinator Angus Mereweather said."""
SEARCH_THEORY_2 = """Bayesian search theory, which Professor Ilse Varnhagen used to find a lost airliner, could find Coralline Air Flight 512.
A probability map ranks each square of the search area by how likely the plane is there.
Varnhagen said the statisticians would update the map with drift models and radar data.
Flight 512 vanished with 180 passengers on board and the southern ocean search has found no wreckage.
A patrol ship heard pings from the flight recorders, but the batteries of their beacons may soon run out."""


def _similarity(blocks: list[int], inside: list[float], across: float) -> np.ndarray:
    """Cosine similarities of articles in groups of ``blocks`` sizes: ``inside[k]`` within group k, ``across`` between."""
    labels = np.repeat(np.arange(len(blocks)), blocks)
    similarity = np.where(labels[:, None] == labels[None, :], np.array(inside)[labels][:, None], across)
    np.fill_diagonal(similarity, 1.0)
    return similarity


def test_two_events_of_one_topic_linked_as_one_story_are_cut_apart():
    articles = [article("a1", SEARCH_PINGS), article("a2", SEARCH_PINGS_2),
                article("b1", SEARCH_THEORY), article("b2", SEARCH_THEORY_2)]
    documents = [stories_module._article_text(a) for a in articles]
    vectorizer, matrix, counts = terms_module._fit_tfidf(documents)
    grouping = terms_module._grouping_matrix(documents, vectorizer, matrix, counts)
    linked = stories_module.story_labels(grouping, SETTINGS.story_threshold)
    assert len(set(linked.tolist())) == 1  # the shared search words link all four by average linkage ...
    stories = group_stories(articles, SETTINGS)  # ... and each event is closer inside than across
    assert sorted(sorted(a.article.id for a in s.articles) for s in stories) == [["a1", "a2"], ["b1", "b2"]]


def test_event_parts_cut_only_sides_of_two_or_more_that_are_closer_inside_than_across():
    ratio = stories_module.EVENT_RATIO
    parts = stories_module._event_parts(_similarity([2, 2], [0.5, 0.6], 0.5 * ratio - 0.01))
    assert sorted(p.tolist() for p in parts) == [[0, 1], [2, 3]]
    # Across as close as the looser side inside (one event told in other words): one part.
    assert len(stories_module._event_parts(_similarity([2, 2], [0.5, 0.6], 0.5 * ratio + 0.01))) == 1
    # A single article that joined loosely has no inside to compare with: it stays.
    assert len(stories_module._event_parts(_similarity([3, 1], [0.6, 1.0], 0.16))) == 1
    # Three events: the tree is read down from the top, each node judged on its own.
    parts = stories_module._event_parts(_similarity([2, 3, 2], [0.7, 0.6, 0.8], 0.1))
    assert sorted(p.tolist() for p in parts) == [[0, 1], [2, 3, 4], [5, 6]]


def test_event_tree_in_numpy_and_scipy_give_the_same_parts(monkeypatch):
    for seed in range(4):
        matrix = _random_topics(seed, 30, 3)
        similarity = (matrix @ matrix.T).toarray()
        small = {frozenset(p.tolist()) for p in stories_module._event_parts(similarity)}
        monkeypatch.setattr(linkage_module, "SMALL_LINKAGE", 1)
        big = {frozenset(p.tolist()) for p in stories_module._event_parts(similarity)}
        monkeypatch.undo()
        assert small == big and len(big) > 1


def test_split_events_gives_new_labels_and_skips_stories_too_large_to_check(monkeypatch):
    rows = np.array([[1, 0.0, 0], [1, 0.1, 0], [0.45, 0, 1], [0.45, 0, 1.1]])
    matrix = sparse.csr_matrix(rows / np.linalg.norm(rows, axis=1)[:, None])
    labels = np.zeros(4, dtype=np.int64)
    cut = stories_module.split_events(matrix, labels)
    assert _partition(cut) == {frozenset({0, 1}), frozenset({2, 3})} and cut.max() >= 4 and labels.max() == 0
    monkeypatch.setattr(stories_module, "EVENT_CHECK_MAX_ARTICLES", 3)
    assert _partition(stories_module.split_events(matrix, labels)) == {frozenset(range(4))}


LODGE_FIRE = """A fire destroyed the east wing of the Harrowgate Manor hotel on Tuesday night, and firefighters from three towns fought the blaze until dawn.
Fire chief Odile Brannock said the fire started in a kitchen extractor and spread through the roof space of the old building.
All forty guests were led out safely, though two staff members were treated for smoke inhalation at the county hospital."""
LODGE_FIRE_2 = """Firefighters from three towns battled a blaze at the Harrowgate Manor hotel through Tuesday night until dawn.
Chief Odile Brannock said the fire began in a kitchen extractor before spreading through the roof space.
Forty guests were led out safely; two staff members were treated at the county hospital for smoke inhalation."""
# A fragment of a few lines from another story that happens to name the same place: one name, two words.
LODGE_FRAGMENT = "...stayed at Harrowgate Manor for the weekend."


def test_an_article_linked_to_its_story_only_by_one_name_stands_alone():
    articles = [article("a1", LODGE_FIRE), article("a2", LODGE_FIRE_2), article("b1", LODGE_FRAGMENT)]
    documents = [stories_module._article_text(a) for a in articles]
    vectorizer, matrix, counts = terms_module._fit_tfidf(documents)
    grouping = terms_module._grouping_matrix(documents, vectorizer, matrix, counts)
    linked = stories_module.story_labels(grouping, SETTINGS.story_threshold)
    assert len(set(linked.tolist())) == 1  # the shared name is close enough for average linkage ...
    stories = group_stories(articles, SETTINGS)  # ... but two shared words are no link
    assert sorted(sorted(a.article.id for a in s.articles) for s in stories) == [["a1", "a2"], ["b1"]]


def test_detach_thin_links_counts_distinct_shared_words_with_the_best_linked_member():
    need = stories_module.MIN_LINK_WORDS
    rows = np.zeros((4, 2 * need + 2))
    rows[0, : 2 * need] = 1  # a long article
    rows[1, :need] = 1  # shares exactly enough words with it: stays
    rows[2, need : need + need - 1] = 1  # shares one word too few with 0, and none with 1: leaves
    rows[3, 2 * need:] = 1  # another story's article, whose label must not be reused
    labels = np.array([0, 0, 0, 3])
    out = stories_module.detach_thin_links(sparse.csr_matrix(rows), labels)
    assert _partition(out) == {frozenset({0, 1}), frozenset({2}), frozenset({3})}
    assert out[2] not in labels and out[3] == 3
    # split_events, run after it, never reuses a label it gave.
    assert stories_module.split_events(sparse.identity(4, format="csr"), out).tolist() == out.tolist()


def _reference_link(units, pairs):
    """The linkage rule pair by pair: ``pairs`` maps (i, j), i < j, to (score, contained)."""
    neighbours = {i: {} for i in range(len(units))}
    for (i, j), match in pairs.items():
        neighbours[i][j] = neighbours[j][i] = match

    def linked(a, b, centre):
        if b in neighbours[a]:
            return True
        to_a, to_b = neighbours[centre].get(a), neighbours[centre].get(b)
        return bool(to_a and to_b and not to_a[1] and not to_b[1])

    def strength(i):
        articles = {units[j].paragraph.article_id for j in neighbours[i]}
        return (-len(articles), -sum(m[0] for m in neighbours[i].values()), units[i].key)

    assigned, groups = set(), []
    for centre in sorted(range(len(units)), key=strength):
        if centre in assigned:
            continue
        group = [centre]
        assigned.add(centre)
        options = sorted((j for j in neighbours[centre] if j not in assigned),
                         key=lambda j: (-neighbours[centre][j][0], units[j].key))
        for candidate in options:
            if all(linked(candidate, member, centre) for member in group):
                group.append(candidate)
                assigned.add(candidate)
        groups.append(sorted(group, key=lambda i: units[i].key))
    return groups


@hypothesis_settings(max_examples=60, deadline=None)
@given(st.integers(2, 14), st.data())
def test_linkage_in_columns_follows_the_pair_by_pair_rule(size, data):
    import numpy as np

    from digest.cluster.paragraphs import _link_without_chaining, _Matches, _Unit

    units = [_Unit(Paragraph(f"a{i % 4}", i, f"text {i}"), -1) for i in range(size)]
    every_pair = [(i, j) for i in range(size) for j in range(i + 1, size)]
    chosen = data.draw(st.lists(st.sampled_from(every_pair), unique=True, max_size=len(every_pair)))
    # Scores as the verifier gives them: float32 at or above the cut-offs, with ties.
    scores = [float(np.float32(data.draw(st.sampled_from([80.0, 82.5, 90.0, 91.25, 100.0])))) for _ in chosen]
    contained = [data.draw(st.booleans()) for _ in chosen]
    pairs = {pair: (score, inside) for pair, score, inside in zip(chosen, scores, contained)}
    columns = _Matches(np.array([i for i, _ in chosen], dtype=np.int64), np.array([j for _, j in chosen], dtype=np.int64),
                       np.array(scores, dtype=np.float32), np.array(contained, dtype=bool))
    assert _link_without_chaining(units, columns) == _reference_link(units, pairs)


def test_sorted_unique_and_holds_match_numpy():
    import numpy as np

    from digest.cluster.linkage import _sorted_holds, _sorted_unique

    values = np.array([7, 3, 3, 12, 0, 7, 5], dtype=np.int64)
    assert _sorted_unique(values).tolist() == [0, 3, 5, 7, 12]
    assert _sorted_unique(np.zeros(0, dtype=np.int64)).tolist() == []
    probe = np.array([12, 4, 0, 13, -1, 7], dtype=np.int64)
    assert _sorted_holds(_sorted_unique(values), probe).tolist() == np.isin(probe, values).tolist()
    assert _sorted_holds(np.zeros(0, dtype=np.int64), probe).tolist() == [False] * 6


def test_sorted_holds_of_many_values_sorts_them_first_with_the_same_answer(monkeypatch):
    import numpy as np

    from digest.cluster import linkage as c

    values = np.array([7, 3, 3, 12, 0, 7, 5], dtype=np.int64)
    probe = np.array([12, 4, 0, 13, -1, 7, 7, 3], dtype=np.int64)
    monkeypatch.setattr(c, "_SORTED_SEARCH_MIN", 1)
    assert c._sorted_holds(c._sorted_unique(values), probe).tolist() == np.isin(probe, values).tolist()

# --- the fast paths of story grouping equal the plain ones -------------------------------------------

_TERM_TEXT = st.lists(st.sampled_from(list("ab cd Ab ΣσςİıſÉé\u0301\n\n.,!?'\"“”-–\u00a0\u200b") + ["the ", "said "]),
                      max_size=60).map("".join)


def _plain_story_terms_fit(documents: list[str]):
    """Vocabulary, counts and first-met order of terms as ``story_terms`` and Counter give them."""
    first_met: dict[str, int] = {}
    counted = []
    for text in documents:
        counts = Counter(terms_module.story_terms(text))
        for term in counts:
            first_met.setdefault(term, len(first_met))
        counted.append(counts)
    df = Counter(term for counts in counted for term in counts)
    min_df = 2 if len(documents) > 1 else 1
    terms = sorted(t for t in first_met if df[t] >= min_df)
    return terms, counted, first_met


@hypothesis_settings(max_examples=200, deadline=None)
@given(st.lists(_TERM_TEXT, min_size=1, max_size=6))
def test_story_terms_fit_in_arrays_counts_what_story_terms_counts(documents):
    vectorizer, matrix, counts, lede = terms_module._fit_story_terms(documents)
    terms, counted, first_met = _plain_story_terms_fit(documents)
    if not terms:
        assert vectorizer is None
        return
    assert list(vectorizer.vocabulary) == terms and list(vectorizer.vocabulary.values()) == list(range(len(terms)))
    dense = counts.toarray()
    ledes = lede.toarray()
    for row, text in enumerate(documents):
        assert {t: dense[row, k] for k, t in enumerate(terms) if dense[row, k]} == {
            t: c for t, c in counted[row].items() if t in vectorizer.vocabulary}
        lede_counts = Counter(terms_module.story_terms("\n".join(text.split("\n")[: terms_module.LEDE_LINES])))
        assert {t: ledes[row, k] for k, t in enumerate(terms) if ledes[row, k]} == {
            t: c for t, c in lede_counts.items() if t in vectorizer.vocabulary}
    # Within a row, weights are stored in the order terms were first met (it fixes the last bits of the sums).
    for row in range(len(documents)):
        stored = matrix.indices[matrix.indptr[row]: matrix.indptr[row + 1]]
        met = [first_met[terms[k]] for k in stored]
        assert met == sorted(met)


@hypothesis_settings(max_examples=300, deadline=None)
@given(_TERM_TEXT)
def test_name_words_by_capital_tokens_equal_name_words_by_every_token(text):
    assert terms_module.name_words(text) == _name_words_by_every_token(text)


def test_close_pairs_by_rare_terms_first_are_the_pairs_of_the_product_of_all_rows(monkeypatch):
    monkeypatch.setattr(linkage_module, "SPLIT_PAIRS_MIN_ROWS", 0)
    for seed in range(6):
        matrix = _random_topics(seed, 90, 6)
        matrix.sort_indices()
        # HEAVY_MAX_SHARE 0: the common-term threshold doubles until no row is heavy.
        for common, share in ((5, 0.05), (20, 0.05), (60, 0.05), (5, 0.0), (20, 0.0)):
            monkeypatch.setattr(linkage_module, "COMMON_MIN_ROWS", common)
            monkeypatch.setattr(linkage_module, "HEAVY_MAX_SHARE", share)
            for cut in (0.5, 0.7, 0.85, 0.9):
                left, right = linkage_module._close_pairs(matrix, cut)
                plain_left, plain_right = linkage_module._all_close_pairs(matrix, cut)
                assert sorted(zip(left.tolist(), right.tolist())) == sorted(zip(plain_left.tolist(), plain_right.tolist()))
                assert len(left) > 0


def test_gram_of_a_few_rows_of_a_wide_matrix_is_their_product_bit_for_bit():
    matrix = _random_topics(2, 30, 3)
    wide = sparse.hstack([sparse.csr_matrix((30, 5000)), matrix]).tocsr()
    rows = np.array([3, 7, 8, 20])
    assert np.array_equal(linkage_module._gram(wide[rows]), (wide[rows] @ wide[rows].T).toarray())


def test_documents_read_in_worker_processes_group_as_read_here(monkeypatch):
    articles = [article("a1", LODGE_FIRE), article("a2", LODGE_FIRE_2), article("b1", FOOTBALL), article("b2", FOOTBALL_2)]
    here = group_stories(articles, SETTINGS)
    monkeypatch.setattr(terms_module, "POOL_MIN_DOCUMENTS", 1)
    monkeypatch.setattr(terms_module.workers, "cpu_count", lambda: 2)
    assert group_stories(articles, SETTINGS) == here


def test_stories_grouped_from_the_forms_of_cleaning_are_the_stories_grouped_from_the_text():
    from digest.clean import TextForms, text_forms

    articles = [article("a1", LODGE_FIRE), article("a2", LODGE_FIRE_2), article("b1", FOOTBALL), article("b2", FOOTBALL_2)]
    forms = TextForms()
    for a in articles:
        forms.add(text_forms(a))
    documents = [stories_module._article_text(a) for a in articles]
    assert terms_module._read_with_forms(articles, documents, forms) == terms_module._read_documents(documents)
    assert group_stories(articles, SETTINGS, forms=forms) == group_stories(articles, SETTINGS)
    # A paragraph the forms do not know (or with a line break inside) is read from its text.
    partial = TextForms(forms.word_counts, dict(list(forms.normal_forms.items())[:3]), forms.names)
    assert group_stories(articles, SETTINGS, forms=partial) == group_stories(articles, SETTINGS)


def _every_pair_checked(paragraphs):
    """Units and groups when every candidate pair is checked at once (the rule the stepwise checks must give)."""
    from digest.cluster import paragraphs as c
    from digest.similarity import Prepared, candidate_pairs, verify_pairs

    candidates, sentences_of, whole, article = c._candidate_units(paragraphs)
    prepared = Prepared([u.paragraph.text for u in candidates])
    left, right = candidate_pairs(prepared)
    score, contained = verify_pairs(prepared, left, right, SETTINGS)
    hit = score > 0
    units, matches = c._split_and_renumber(paragraphs, candidates, sentences_of, whole, article,
                                           c._Matches(left[hit], right[hit], score[hit], contained[hit]))
    return units, c._link_without_chaining(units, matches)


@hypothesis_settings(max_examples=40, deadline=None)
@given(articles_text)
def test_stepwise_checks_give_the_units_and_groups_of_checking_every_pair(texts):
    story = _story(*texts)
    paragraphs = sorted(set(story.paragraphs), key=lambda p: (p.article_id, p.position, p.text))
    assert paragraphs_module._units_and_groups(paragraphs, SETTINGS, None) == _every_pair_checked(paragraphs)


def test_a_sentence_copied_into_another_paragraph_splits_it_with_stepwise_checks():
    # Two outlets print one short agency sentence (too short to be trusted as contained in a paragraph), each
    # with a sentence of its own after it: the paragraphs do not match, their first sentences do, so both are
    # split, as checking every pair finds.
    short = "The finance minister resigned on Friday evening."
    story = _story([short + " Some analysts had expected a larger move before the summer holidays."],
                   [short + " " + SENTENCES[2]], [SENTENCES[3]])
    paragraphs = sorted(set(story.paragraphs), key=lambda p: (p.article_id, p.position, p.text))
    units, groups = paragraphs_module._units_and_groups(paragraphs, SETTINGS, None)
    assert any(u.sentence >= 0 for u in units)
    assert (units, groups) == _every_pair_checked(paragraphs)


def test_one_byte_word_symbols_score_as_the_wide_ones():
    import numpy as np
    from rapidfuzz import fuzz, process

    from digest.similarity import Prepared, containment

    many = " ".join(f"w{k}" for k in range(300))  # more distinct words than one-byte symbols hold
    texts = ["the cat sat on the mat and the dog sat too", "a dog sat on the mat", "the the the cat",
             "mat on sat cat the", many, many + " extra words", "dog"]
    prepared = Prepared(texts)
    left = np.array([0, 1, 2, 3, 0, 6, 1], dtype=np.int64)
    right = np.array([1, 0, 3, 2, 3, 0, 6], dtype=np.int64)
    compact = prepared.aligned_symbols(left, right)
    wide = prepared.word_symbols(range(len(texts)))
    expected = process.cpdist([wide[i] for i in left.tolist()], [wide[i] for i in right.tolist()],
                              scorer=fuzz.partial_ratio, processor=None)
    assert compact is not None and max(len(set(s)) for s in compact[0] + compact[1]) < 256
    assert process.cpdist(*compact, scorer=fuzz.partial_ratio, processor=None).tolist() == expected.tolist()
    assert prepared.aligned_symbols(np.array([4]), np.array([5])) is None  # too many words: the wide symbols
    pair = (np.array([4, 0], dtype=np.int64), np.array([5, 1], dtype=np.int64))
    by_wide = process.cpdist([wide[4], wide[0]], [wide[5], wide[1]], scorer=fuzz.partial_ratio, processor=None)
    assert containment(prepared, *pair).tolist() >= by_wide.astype(np.float32).tolist()
    assert containment(prepared, *pair)[0] == 100.0


def test_values_at_reads_a_sparse_matrix_as_its_dense_form():
    import numpy as np
    from scipy import sparse

    dense = np.array([[0.0, 1.5, 0.0, 2.0], [0.0, 0.0, 0.0, 0.0], [3.0, 0.0, 0.25, 0.0]])
    matrix = sparse.csr_matrix(dense)
    rows = np.array([0, 0, 1, 2, 2, 2, 0], dtype=np.int64)
    cols = np.array([1, 2, 3, 0, 2, 3, 3], dtype=np.int64)
    keys = offstory_module._cell_keys(matrix)
    assert offstory_module._values_at(matrix, keys, rows, cols).tolist() == dense[rows, cols].tolist()
    empty = sparse.csr_matrix((2, 3))
    assert offstory_module._values_at(empty, offstory_module._cell_keys(empty), rows[:2], cols[:2]).tolist() == [0.0, 0.0]


def test_grams_of_many_groups_are_each_groups_gram_bit_for_bit():
    matrix = _random_topics(5, 120, 6)
    matrix.sort_indices()
    rng = np.random.default_rng(9)
    groups = [np.sort(rng.choice(120, size, replace=False)) for size in (1, 2, 3, 5, 8, 13, 40, 49, 70)]
    for members, gram in zip(groups, linkage_module._grams(matrix, groups)):
        assert np.array_equal(gram, linkage_module._gram(matrix[members]))


@hypothesis_settings(max_examples=60, deadline=None)
@given(st.lists(st.text(st.sampled_from("ab\u00e9z9\u00df\x01"), min_size=1, max_size=4), min_size=1, max_size=12, unique=True),
       st.data())
def test_terms_are_ordered_as_their_strings(words, data):
    """Story terms sort by the ranks of their words exactly as their strings sort (and by the strings when a word
    holds a character at or below a space)."""
    import numpy as np

    from digest.cluster.terms import _text_order

    pairs = data.draw(st.lists(st.tuples(st.integers(0, len(words) - 1), st.integers(-1, len(words) - 1)),
                               min_size=1, max_size=30, unique=True))
    first = np.array([a for a, _ in pairs], dtype=np.int64)
    second = np.array([b for _, b in pairs], dtype=np.int64)
    texts = [words[a] if b < 0 else f"{words[a]} {words[b]}" for a, b in pairs]
    assert [texts[k] for k in _text_order(words, first, second)] == sorted(texts)


import pytest  # noqa: E402


def _own_rows_by_scipy(sums, removed, story):
    """The own-story rows as the off-story check first made them whole: scipy's difference, in unit rows."""
    own = terms_module._normalise_rows(sums[story] - removed)
    own.sort_indices()
    return own


@pytest.mark.parametrize("canonical", [False, True])
def test_own_story_cells_equal_the_whole_rows_bit_for_bit(canonical):
    # Stories summed from unsorted article rows (as the matrix of _weighted stores them), articles removed from
    # their own story (or zero rows: a story of one article), read at every cell of a few columns and more.
    rng = np.random.default_rng(7)
    n_articles, n_terms = 40, 300
    rows, cols, data = [], [], []
    for r in range(n_articles):
        chosen = rng.choice(n_terms, size=int(rng.integers(1, 60)), replace=False)
        rows += [r] * len(chosen)
        cols += chosen.tolist()
        data += rng.random(len(chosen)).tolist()
    indptr = np.concatenate([[0], np.cumsum(np.bincount(rows, minlength=n_articles))])
    matrix = sparse.csr_matrix((np.array(data), np.array(cols, dtype=np.int32), indptr), shape=(n_articles, n_terms))
    story_of = rng.integers(0, 5, size=n_articles)
    story_of[-1] = 5  # a story of one article
    members = [np.flatnonzero(story_of == s).tolist() for s in range(6)]
    sums = offstory_module._story_sums(matrix, members)
    if canonical:
        sums.sort_indices()
        matrix.sort_indices()
    judged = np.arange(n_articles)
    others = np.array([len(members[s]) - 1 for s in story_of])
    removed = matrix[judged].multiply((others[judged] > 0)[:, None]).tocsr()
    assert offstory_module._canonical_rows(sums).all() == canonical
    whole = _own_rows_by_scipy(sums, removed, story_of[judged])
    own = offstory_module._OwnStories(sums, removed, story_of[judged])
    cell_rows = np.repeat(judged, n_terms)
    cell_cols = np.tile(np.arange(n_terms), n_articles)
    expected = whole.toarray().ravel()
    got = own.values_at(cell_rows, cell_cols)
    assert got.view(np.int64).tolist() == expected.view(np.int64).tolist()
    assert (got != 0).sum() > n_articles  # the cells are read, not all zero


def test_sequential_sum_adds_first_to_last():
    values = np.array([1e16, 1.0, -1e16, 1.0])
    total = 0.0
    for v in values:
        total += v
    assert offstory_module._sequential_sum(values) == total == 1.0
    assert offstory_module._sequential_sum(np.zeros(0)) == 0.0
    rng = np.random.default_rng(3)
    many = rng.random(10_000) * 10.0 ** rng.integers(-8, 8, size=10_000)
    expected = 0.0
    for v in many.tolist():
        expected += v
    assert offstory_module._sequential_sum(many) == expected
