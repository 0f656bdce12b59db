"""Check a ``digest run --out DIR`` folder: all four files there, each a real file of its kind."""

import json
import sys
from pathlib import Path

folder = Path(sys.argv[1])
problems = []
for name in ("briefing.md", "briefing.html", "briefing.pdf", "briefing.json"):
    if not (folder / name).is_file() or (folder / name).stat().st_size < 200:
        problems.append(f"{name} missing or nearly empty")
if not problems:
    data = json.loads((folder / "briefing.json").read_text(encoding="utf-8"))
    if not data.get("stories"):
        problems.append("briefing.json has no stories")
    if not (folder / "briefing.pdf").read_bytes().startswith(b"%PDF-"):
        problems.append("briefing.pdf is not a PDF")
    markdown = (folder / "briefing.md").read_text(encoding="utf-8")
    if not all(story["headline"] in markdown for story in data["stories"]):
        problems.append("briefing.md lacks a headline of briefing.json")
    if "<article" not in (folder / "briefing.html").read_text(encoding="utf-8"):
        problems.append("briefing.html has no story")
if problems:
    sys.exit(f"{folder}: " + "; ".join(problems))
