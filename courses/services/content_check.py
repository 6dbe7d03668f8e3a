"""Editorial checks on the seed curriculum in content/, for `manage.py content_check`.

Pure reading of files (no database): reading ease, answer-length bias in single-answer checks,
word runs copied from the practice review outside quotation marks, every learning point and
recommendation mapped to sections that teach it, sources and a review date on every module,
local practice marked as local, and module durations that include their embedded scenarios.
"""

import datetime
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from courses.services.course_format import (
    ParsedCourse,
    ParsedModule,
    course_folder_parse,
    local_content_load,
)
from courses.services.readability import module_readability
from pages.review import REVIEW_REFERENCES

# Learner-facing text fields of scenario nodes and choices.
_SCENARIO_FIELDS = ("text", "question", "label", "feedback", "outcome", "debrief")
# Double quotation marks, straight or curly, within one paragraph: quoted words are not copied.
_QUOTED = re.compile(r"\"[^\"]*\"|“[^”]*”")
_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
READING_WORDS_PER_MINUTE = 200


@dataclass(frozen=True)
class Finding:
    check: str
    where: str
    message: str


@dataclass
class ContentReport:
    findings: list[Finding] = field(default_factory=list)
    figures: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.findings

    def add(self, check: str, where: str, message: str) -> None:
        self.findings.append(Finding(check, where, message))


@dataclass(frozen=True)
class Text:
    where: str
    text: str
    local: bool = False  # inside a local practice block


def _words(text: str) -> list[str]:
    return _WORD.findall(text.lower().replace("’", "'").replace("‘", "'"))


def _block_texts(value, where: str) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [
            t for k, v in value.items() if k not in ("id", "type") for t in _block_texts(v, where)
        ]
    if isinstance(value, list):
        return [t for item in value for t in _block_texts(item, where)]
    return []


def module_texts(*, course: ParsedCourse, module: ParsedModule) -> list[Text]:
    """Every piece of text a learner reads in a module, each with where it is."""
    base = f"{course.meta['slug']}/{module.meta['slug']}"
    out = []
    for section in module.body:
        heading = section["value"]["heading"]
        for block in section["value"]["content"]:
            where = f"{base} § {heading} ({block['type']})"
            if block["type"] in ("services", "scenario", "image"):
                continue
            if block["type"] == "local_practice":
                out.append(Text(where, block["value"]["key"], local=True))
                continue
            value = block["value"]
            if block["type"] == "from_review":
                value = value["text"]
            out += [Text(where, t) for t in _block_texts(value, where) if len(t.split()) > 2]
    return out


def scenario_texts(*, data: dict) -> list[Text]:
    """Every piece of text a learner reads in a scenario definition."""
    slug = data["slug"]
    out = [Text(f"scenario {slug} (introduction)", str(data.get("introduction") or ""))]
    for node in data["nodes"]:
        where = f"scenario {slug} › {node['key']}"
        for name in _SCENARIO_FIELDS:
            if node.get(name):
                out.append(Text(where, str(node[name])))
        for note in node.get("notes") or []:
            out.append(Text(f"{where} (note)", str(note["text"])))
        for choice in node.get("choices") or []:
            for name in ("label", "feedback"):
                out.append(Text(f"{where}.{choice['key']}", str(choice[name])))
    return out


def _paragraphs(text: str) -> list[str]:
    return [p for p in re.split(r"\n\s*\n", text) if p.strip()]


def copied_runs(*, text: str, review_grams: set[tuple[str, ...]], length: int) -> list[str]:
    """Runs of ``length`` or more words also in the review, outside double quotation marks."""
    runs = []
    for paragraph in _paragraphs(text):
        words = _words(_QUOTED.sub(" … ", paragraph))
        hits = [
            i
            for i in range(len(words) - length + 1)
            if tuple(words[i : i + length]) in review_grams
        ]
        start = end = None
        for i in hits + [None]:
            if i is not None and end is not None and i <= end:
                end = i + length
                continue
            if start is not None:
                runs.append(" ".join(words[start:end]))
            if i is not None:
                start, end = i, i + length
    return runs


def _review_grams(review: Path, length: int) -> set[tuple[str, ...]]:
    words = _words(review.read_text(encoding="utf-8"))
    return {tuple(words[i : i + length]) for i in range(len(words) - length + 1)}


def _load_courses(content: Path) -> list[ParsedCourse]:
    folders = sorted(p for p in (content / "courses").glob("*/") if (p / "course.md").is_file())
    return [course_folder_parse(folder) for folder in folders]


def _load_scenarios(content: Path) -> list[dict]:
    return [
        yaml.safe_load(path.read_text(encoding="utf-8"))
        for path in sorted((content / "scenarios").glob("*.yaml"))
    ]


def _check_answers(report: ContentReport, courses: list[ParsedCourse], max_share: float) -> None:
    total = longest = 0
    for course in courses:
        for module in course.modules:
            for section in module.body:
                for block in section["value"]["content"]:
                    if block["type"] != "check" or block["value"]["kind"] != "single":
                        continue
                    options = block["value"]["options"]
                    right = next(len(o["text"]) for o in options if o["correct"])
                    wrong = [len(o["text"]) for o in options if not o["correct"]]
                    total += 1
                    if right > max(wrong):
                        longest += 1
                    if right > 1.5 * max(wrong):
                        report.add(
                            "answer_length",
                            f"{course.meta['slug']}/{module.meta['slug']} § "
                            f"{section['value']['heading']}",
                            f"the right answer is far longer than any other "
                            f"({right} against at most {max(wrong)} characters)",
                        )
    report.figures["single-answer checks where the right answer is the longest"] = (
        f"{longest} of {total}"
    )
    if total and longest / total > max_share:
        report.add(
            "answer_length",
            "all single-answer checks",
            f"the right answer is the longest in {longest} of {total} "
            f"(at most {max_share:.0%} allowed): it can be guessed by length",
        )


def _check_scenario_options(report: ContentReport, scenarios: list[dict], max_share: float) -> None:
    total = longest = 0
    for data in scenarios:
        for node in data["nodes"]:
            choices = node.get("choices") or []
            best = [len(c["label"]) for c in choices if c.get("rating") == "recommended"]
            others = [len(c["label"]) for c in choices if c.get("rating") != "recommended"]
            if not best or not others:
                continue
            total += 1
            longest += max(best) > max(others)
    report.figures["scenario decisions where the recommended choice is the longest"] = (
        f"{longest} of {total}"
    )
    if total and longest / total > max_share:
        report.add(
            "answer_length",
            "all scenario decisions",
            f"the recommended choice is the longest in {longest} of {total} "
            f"(at most {max_share:.0%} allowed): it can be guessed by length",
        )


def _check_traceability(
    report: ContentReport, content: Path, courses: list[ParsedCourse], min_words: int
) -> None:
    data = yaml.safe_load((content / "traceability.yaml").read_text(encoding="utf-8"))
    items = {item["ref"]: item for item in data["items"]}
    modules = {f"{c.meta['slug']}/{m.meta['slug']}": m for c in courses for m in c.modules}
    for ref in REVIEW_REFERENCES:
        item = items.get(ref)
        taught = (item or {}).get("taught_in") or []
        if not taught:
            report.add("traceability", ref, "no section is named as teaching it (taught_in)")
        for entry in taught:
            name, _, heading = entry.partition("#")
            module = modules.get(name)
            if module is None:
                report.add("traceability", ref, f"{name}: no such module")
                continue
            refs = module.meta["learning_points"] + module.meta["recommendations"]
            if ref not in refs:
                report.add("traceability", ref, f"{name} does not list {ref} in its front matter")
            section = next(
                (s for s in module.body if s["value"]["heading"] == heading.strip()), None
            )
            if section is None:
                report.add("traceability", ref, f"{name}: no section “{heading}”")
                continue
            prose = [
                t
                for b in section["value"]["content"]
                if b["type"] not in ("services", "scenario", "image", "check")
                for t in _block_texts(b["value"], name)
            ]
            words = len(_words(" ".join(prose)))
            if words < min_words:
                report.add(
                    "traceability",
                    ref,
                    f"{entry} has {words} words of teaching (at least {min_words} needed, "
                    "a link alone does not teach)",
                )


def _check_modules(
    report: ContentReport,
    courses: list[ParsedCourse],
    scenarios: dict[str, dict],
    *,
    today: datetime.date,
    minimum_ease: float,
    review_months: int,
) -> None:
    for course in courses:
        for module in course.modules:
            name = f"{course.meta['slug']}/{module.meta['slug']}"
            meta = module.meta
            if not meta["references"]:
                report.add("sources", name, "no references in the front matter")
            if not meta["last_reviewed"]:
                report.add("sources", name, "no last_reviewed date in the front matter")
            else:
                reviewed = datetime.date.fromisoformat(meta["last_reviewed"])
                if (today - reviewed).days > review_months * 31:
                    report.add("sources", name, f"last reviewed {reviewed}: overdue for review")
            figures = module_readability(module=module)
            if figures.reading_ease < minimum_ease:
                report.add(
                    "reading_ease",
                    name,
                    f"Flesch reading ease {figures.reading_ease} (at least {minimum_ease:g})",
                )
            embedded = [
                b["value"]["scenario"]
                for s in module.body
                for b in s["value"]["content"]
                if b["type"] == "scenario"
            ]
            scenario_minutes = sum(
                int(scenarios.get(slug, {}).get("estimated_minutes") or 10) for slug in embedded
            )
            needed = round(figures.words / READING_WORDS_PER_MINUTE) + scenario_minutes
            if meta["estimated_minutes"] < needed:
                report.add(
                    "duration",
                    name,
                    f"estimated {meta['estimated_minutes']} minutes, but reading takes about "
                    f"{round(figures.words / READING_WORDS_PER_MINUTE)} and its scenarios "
                    f"{scenario_minutes}",
                )


def _check_local(report: ContentReport, texts: list[Text], local: dict) -> None:
    area = local["area"]
    terms = [re.compile(rf"\b{re.escape(t)}\b", re.IGNORECASE) for t in local["terms"]]
    keys = set(local["items"])
    for text in texts:
        if text.local:
            if text.text not in keys:
                report.add("local", text.where, f"local item {text.text!r} is not in the file")
            continue
        for paragraph in _paragraphs(text.text):
            found = [t for t, p in zip(local["terms"], terms, strict=True) if p.search(paragraph)]
            if found and area.lower() not in paragraph.lower():
                report.add(
                    "local",
                    text.where,
                    f"mentions local practice ({found[0]}) without saying "
                    f"it applies in {area}; use a local block or name the area",
                )


def content_check(
    *,
    content: Path,
    review: Path,
    local: Path,
    today: datetime.date | None = None,
    minimum_ease: float = 50.0,
    max_longest_share: float = 0.4,
    max_recommended_share: float = 0.5,
    run_length: int = 8,
    min_teaching_words: int = 60,
    review_months: int = 24,
) -> ContentReport:
    """Run every check over the content folder; the report lists findings and key figures."""
    report = ContentReport()
    courses = _load_courses(content)
    scenario_data = _load_scenarios(content)
    scenarios = {data["slug"]: data for data in scenario_data}
    texts = [t for c in courses for m in c.modules for t in module_texts(course=c, module=m)]
    texts += [Text(f"course {c.meta['slug']}", c.description) for c in courses]
    texts += [t for data in scenario_data for t in scenario_texts(data=data)]

    _check_modules(
        report,
        courses,
        scenarios,
        today=today or datetime.date.today(),
        minimum_ease=minimum_ease,
        review_months=review_months,
    )
    _check_answers(report, courses, max_longest_share)
    _check_scenario_options(report, scenario_data, max_recommended_share)
    grams = _review_grams(review, run_length)
    copied = 0
    for text in texts:
        if text.local:
            continue
        for run in copied_runs(text=text.text, review_grams=grams, length=run_length):
            copied += 1
            report.add(
                "copied",
                text.where,
                f"{len(run.split())} words as in the review, not in quotation marks: “{run}”",
            )
    report.figures[f"runs of {run_length}+ words copied from the review"] = str(copied)
    _check_traceability(report, content, courses, min_teaching_words)
    _check_local(report, texts, local_content_load(local))
    ease = [module_readability(module=m).reading_ease for c in courses for m in c.modules]
    if ease:
        report.figures["lowest module reading ease"] = f"{min(ease)}"
    report.figures["scenarios"] = str(len(scenario_data))
    report.figures["modules"] = str(sum(len(c.modules) for c in courses))
    return report
