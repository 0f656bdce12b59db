"""Builders for the cluster tests: CleanArticles straight from text, no ingest/clean needed."""

from __future__ import annotations

import re
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
