"""The course Markdown format of content/FORMAT.md: parse files to plain data and write them back.

Pure functions, no database: ``course_folder_parse`` turns a folder into a ``ParsedCourse`` (or
raises ``CourseFormatError`` naming the file, line and problem); ``course_folder_render`` does the
reverse. Front matter is split by hand because the format is exactly "---" lines around YAML;
everything else is PyYAML.
"""

import datetime
import re
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from django.utils.text import slugify

from accounts.models import Sector
from config.safe_yaml import MAX_DOCUMENT_BYTES, text_normalised, yaml_load
from courses.models.pages import Level, Topic
from pages.review import REVIEW_REFERENCES

# Block ids are derived from the course, module and section, so a re-import keeps every learner's
# progress attached to the same sections and questions.
ID_NAMESPACE = uuid.UUID("6f1d3c1e-7d0b-4c55-9a39-6c7a3c0f3b21")
MODULE_FILE = re.compile(r"^(\d{2})-([a-z0-9][a-z0-9-]*)\.md$")
FENCE = re.compile(r"^```([A-Za-z0-9-]*)\s*$")
INFO_TO_BLOCK = {
    "from-review": "from_review",
    "key-fact": "key_fact",
    "local": "local_practice",
    "accordion": "accordion",
    "check": "check",
    "reflection": "reflection",
    "scenario": "scenario",
    "services": "services",
    "image": "image",
    "video": "video",
}
BLOCK_TO_INFO = {v: k for k, v in INFO_TO_BLOCK.items()}
COURSE_KEYS = {
    "title": str,
    "slug": str,
    "summary": str,
    "topic": str,
    "level": str,
    "audience_sectors": list,
    "job_roles": list,
    "estimated_minutes": int,
    "cpd_minutes": int,
    "refresher_months": int,
    "pass_mark": int,
    "require_scenarios": bool,
    "learning_points": list,
    "recommendations": list,
    "learning_outcomes": list,
    "prerequisites": list,
}
MODULE_KEYS = {
    "title": str,
    "slug": str,
    "summary": str,
    "estimated_minutes": int,
    "content_note": str,
    "learning_points": list,
    "recommendations": list,
    "learning_outcomes": list,
    "references": list,
    "last_reviewed": str,
}
REQUIRED_COURSE_KEYS = {"title", "slug", "summary", "topic", "level"}
REQUIRED_MODULE_KEYS = {"title", "slug"}
RESERVED_SLUGS = {"my", "assign", "enrol", "modules", "certificates"}  # taken by courses/urls.py


class CourseFormatError(Exception):
    """A problem in a course file, with the file and line it is on."""

    def __init__(self, path: Path, line: int | None, problem: str):
        self.path, self.line, self.problem = path, line, problem
        where = f"{path}, line {line}" if line else str(path)
        super().__init__(f"{where}: {problem}")


@dataclass
class ParsedModule:
    path: Path
    position: int
    meta: dict
    body: list[dict]  # raw StreamField data for ModuleBodyBlock, with stable ids


@dataclass
class ParsedCourse:
    path: Path
    meta: dict
    description: str
    modules: list[ParsedModule] = field(default_factory=list)


def local_content_load(path: Path) -> dict:
    """The local content file (content/local.yaml form): area, terms and items by key."""
    try:
        data = yaml_load(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise CourseFormatError(Path(path), None, "the local content file does not exist") from None
    except yaml.YAMLError as error:
        raise CourseFormatError(Path(path), None, f"invalid YAML: {error}") from None
    if not isinstance(data, dict) or not isinstance(data.get("items"), dict):
        raise CourseFormatError(Path(path), None, "needs 'area' and an 'items' mapping")
    for key, item in data["items"].items():
        if not isinstance(item, dict) or not item.get("title") or not item.get("text"):
            raise CourseFormatError(Path(path), None, f"item {key!r} needs a title and text")
    data.setdefault("terms", [])
    return data


def stable_id(*parts: str) -> str:
    """A UUID derived from its parts (uuid5), stable across imports."""
    return str(uuid.uuid5(ID_NAMESPACE, "/".join(parts)))


def _front_matter(path: Path, text: str) -> tuple[dict, str, int]:
    """(metadata, body, line number where the body starts)."""
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        raise CourseFormatError(path, 1, "the file must start with '---' and YAML front matter")
    try:
        end = next(n for n in range(1, len(lines)) if lines[n].strip() == "---")
    except StopIteration:
        raise CourseFormatError(path, 1, "the front matter has no closing '---'") from None
    meta = _yaml(path, "\n".join(lines[1:end]), first_line=2)
    if not isinstance(meta, dict):
        raise CourseFormatError(path, 2, "the front matter must be a YAML mapping")
    return meta, "\n".join(lines[end + 1 :]), end + 2


def _yaml(path: Path, text: str, *, first_line: int):
    try:
        return yaml_load(text)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = first_line + mark.line if mark else first_line
        raise CourseFormatError(path, line, f"invalid YAML: {error.problem}") from None
    except yaml.YAMLError as error:
        raise CourseFormatError(path, first_line, f"invalid YAML: {error}") from None


COURSE_DEFAULTS = {"estimated_minutes": 30, "cpd_minutes": 30, "refresher_months": 24,
                   "pass_mark": 80, "require_scenarios": True}  # fmt: skip
MODULE_DEFAULTS = {"estimated_minutes": 15}


def _check_meta(path: Path, meta: dict, keys: dict, required: set, defaults: dict) -> dict:
    unknown = sorted(set(meta) - set(keys))
    if unknown:
        raise CourseFormatError(path, 2, f"unknown front matter field(s): {', '.join(unknown)}")
    missing = sorted(k for k in required if not meta.get(k))
    if missing:
        raise CourseFormatError(path, 2, f"missing front matter field(s): {', '.join(missing)}")
    cleaned = {}
    for key, kind in keys.items():
        value = meta.get(key)
        if value is None:
            value = defaults.get(key, kind())
        if kind is str and isinstance(value, (int, float, datetime.date)):
            value = value.isoformat() if isinstance(value, datetime.date) else str(value)
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise CourseFormatError(path, 2, f"'{key}' must be a {kind.__name__}")
        cleaned[key] = value.strip() if isinstance(value, str) else value
    _check_choices(path, "learning_points", cleaned["learning_points"], REVIEW_REFERENCES[:4])
    _check_choices(path, "recommendations", cleaned["recommendations"], REVIEW_REFERENCES[4:])
    if cleaned.get("last_reviewed"):
        try:
            datetime.date.fromisoformat(cleaned["last_reviewed"])
        except ValueError:
            message = "'last_reviewed' must be a date (YYYY-MM-DD)"
            raise CourseFormatError(path, 2, message) from None
    if not all(isinstance(r, str) and r.strip() for r in cleaned.get("references", [])):
        raise CourseFormatError(path, 2, "'references' must be a list of text (Markdown)")
    slug = cleaned["slug"]
    if slug != slugify(slug) or slug in RESERVED_SLUGS:
        raise CourseFormatError(path, 2, f"'slug' {slug!r} is not a usable URL slug")
    return cleaned


def _check_choices(path: Path, key: str, values: list, allowed) -> None:
    bad = [str(v) for v in values if v not in allowed]
    if bad:
        raise CourseFormatError(path, 2, f"'{key}' has unknown value(s): {', '.join(bad)}")


def _course_meta(path: Path, meta: dict) -> dict:
    meta = _check_meta(path, meta, COURSE_KEYS, REQUIRED_COURSE_KEYS, COURSE_DEFAULTS)
    _check_choices(path, "topic", [meta["topic"]], Topic.values)
    _check_choices(path, "level", [meta["level"]], Level.values)
    _check_choices(path, "audience_sectors", meta["audience_sectors"], Sector.values)
    if not 0 <= meta["pass_mark"] <= 100:
        raise CourseFormatError(path, 2, "'pass_mark' must be between 0 and 100")
    return meta


def _need(path, line, data, key, kind=str):
    value = data.get(key)
    if value is None or value == "" or not isinstance(value, kind):
        raise CourseFormatError(path, line, f"'{key}' is required (a {kind.__name__})")
    return value.strip() if isinstance(value, str) else value


def _block_value(path: Path, line: int, info: str, data) -> dict:
    """Validate one fenced block's YAML and turn it into the block's raw value."""
    if not isinstance(data, dict):
        raise CourseFormatError(path, line, f"the {info} block must be a YAML mapping")
    if info == "from-review":
        reference = _need(path, line, data, "reference")
        if reference not in REVIEW_REFERENCES:
            raise CourseFormatError(path, line, f"unknown review reference {reference!r}")
        return {"text": _need(path, line, data, "text"), "reference": reference}
    if info == "local":
        # Filled from the local content file on import, so another area can replace it.
        return {"key": _need(path, line, data, "key"), "area": "", "title": "", "text": ""}
    if info == "key-fact":
        return {"title": _need(path, line, data, "title"), "text": _need(path, line, data, "text")}
    if info == "accordion":
        items = _need(path, line, data, "items", list)
        return {
            "items": [
                {"heading": _need(path, line, i, "heading"), "text": _need(path, line, i, "text")}
                for i in items
            ]
        }
    if info == "check":
        return _check_value(path, line, data)
    if info == "reflection":
        return {"prompt": _need(path, line, data, "prompt"), "hint": data.get("hint") or ""}
    if info == "scenario":
        return {"scenario": _need(path, line, data, "scenario")}  # a slug, resolved on import
    if info == "services":
        services = _need(path, line, data, "services", list)
        try:
            ids = [str(uuid.UUID(str(s))) for s in services]
        except ValueError:
            raise CourseFormatError(path, line, "'services' must be a list of UUIDs") from None
        return {"heading": data.get("heading") or "Where to get help", "services": ids}
    if info == "image":
        return {
            "image": _need(path, line, data, "file"),  # a path under content/media/
            "alt": _need(path, line, data, "alt"),
            "caption": data.get("caption") or "",
        }
    if info == "video":
        return {
            "kind": data.get("kind") or "video",
            "url": _need(path, line, data, "url"),
            "title": _need(path, line, data, "title"),
            "transcript": _need(path, line, data, "transcript"),
        }
    raise CourseFormatError(path, line, f"unknown block {info!r}")  # pragma: no cover


def _check_value(path: Path, line: int, data: dict) -> dict:
    kind = data.get("kind") or "single"
    if kind not in ("single", "multiple"):
        raise CourseFormatError(path, line, "'kind' must be 'single' or 'multiple'")
    options = _need(path, line, data, "options", list)
    if len(options) < 2:
        raise CourseFormatError(path, line, "a check needs at least two options")
    cleaned = []
    for number, option in enumerate(options, start=1):
        if not isinstance(option, dict) or not isinstance(option.get("correct"), bool):
            raise CourseFormatError(path, line, f"option {number} needs text, correct and feedback")
        text = _need(path, line, option, "text")
        feedback = _need(path, line, option, "feedback")
        cleaned.append({"text": text, "correct": option["correct"], "feedback": feedback})
    correct = sum(o["correct"] for o in cleaned)
    if correct == 0 or (kind == "single" and correct != 1):
        raise CourseFormatError(
            path,
            line,
            "a single choice check needs exactly one correct option; a multiple "
            "choice check at least one",
        )
    return {
        "question": _need(path, line, data, "question"),
        "kind": kind,
        "options": cleaned,
        "explanation": data.get("explanation") or "",
    }


def module_body_parse(path: Path, text: str, first_line: int, *, scope: str) -> list[dict]:
    """Parse a module body into raw section data; ``scope`` prefixes the stable block ids."""
    sections: list[dict] = []
    markdown: list[str] = []
    headings: dict[str, int] = {}
    counters: dict[str, int] = {}
    lines = text.splitlines()
    n = 0

    def flush_markdown():
        content = "\n".join(markdown).strip()
        markdown.clear()
        if content:
            add_block("markdown", content)

    def add_block(block_type, value):
        section = sections[-1]
        counters[block_type] = counters.get(block_type, 0) + 1
        block_id = stable_id(section["id"], block_type, str(counters[block_type]))
        section["value"]["content"].append({"type": block_type, "value": value, "id": block_id})

    while n < len(lines):
        line, number = lines[n], first_line + n
        fence = FENCE.match(line)
        if line.startswith("## "):
            if sections:
                flush_markdown()
            heading = line[3:].strip()
            key = slugify(heading) or "section"
            headings[key] = headings.get(key, 0) + 1
            if headings[key] > 1:
                key = f"{key}-{headings[key]}"
            section_id = stable_id(scope, key)
            sections.append(
                {"type": "section", "id": section_id, "value": {"heading": heading, "content": []}}
            )
            counters.clear()
        elif not sections:
            if line.strip():
                raise CourseFormatError(path, number, "text before the first '## ' section heading")
        elif fence and fence.group(1) in INFO_TO_BLOCK:
            flush_markdown()
            # The block ends at the next fence; a heading or another fence first means it is open.
            end = next(
                (m for m in range(n + 1, len(lines)) if lines[m].startswith(("```", "## "))), None
            )
            if end is None or lines[end].strip() != "```":
                raise CourseFormatError(
                    path, number, f"the {fence.group(1)} block is not closed with a ``` line"
                )
            data = _yaml(path, "\n".join(lines[n + 1 : end]), first_line=number + 1)
            info = fence.group(1)
            add_block(INFO_TO_BLOCK[info], _block_value(path, number, info, data))
            n = end
        elif fence:  # an ordinary code block stays Markdown, fences and all
            end = next((m for m in range(n + 1, len(lines)) if lines[m].strip() == "```"), None)
            if end is None:
                raise CourseFormatError(path, number, "a code block is not closed")
            markdown.extend(lines[n : end + 1])
            n = end
        else:
            markdown.append(line)
        n += 1
    if sections:
        flush_markdown()
    if not sections:
        raise CourseFormatError(path, first_line, "a module needs at least one '## ' section")
    for section in sections:
        if not section["value"]["content"]:
            heading = section["value"]["heading"]
            raise CourseFormatError(path, None, f"section {heading!r} has no content")
    return sections


def course_folder_parse(folder: Path) -> ParsedCourse:
    """Parse a course folder; raises CourseFormatError (file, line, problem) on any problem."""
    folder = Path(folder)
    course_file = folder / "course.md"
    if not course_file.is_file():
        raise CourseFormatError(course_file, None, "course.md is missing")
    meta, description, _ = _front_matter(course_file, _read(course_file))
    meta = _course_meta(course_file, meta)
    course = ParsedCourse(path=folder, meta=meta, description=description.strip())
    seen: dict[str, Path] = {}
    for path in sorted(folder.glob("*.md")):
        if path.name == "course.md":
            continue
        match = MODULE_FILE.match(path.name)
        if not match:
            raise CourseFormatError(path, None, "module files are named NN-<module-slug>.md")
        module_meta, body, first = _front_matter(path, _read(path))
        module_meta = _check_meta(
            path, module_meta, MODULE_KEYS, REQUIRED_MODULE_KEYS, MODULE_DEFAULTS
        )
        slug = module_meta["slug"]
        if slug in seen:
            raise CourseFormatError(path, 2, f"slug {slug!r} is also used by {seen[slug].name}")
        seen[slug] = path
        scope = f"{meta['slug']}/{slug}"
        sections = module_body_parse(path, body, first, scope=scope)
        course.modules.append(ParsedModule(path, int(match.group(1)), module_meta, sections))
    if not course.modules:
        raise CourseFormatError(folder, None, "a course needs at least one module file")
    return course


def _read(path: Path) -> str:
    size = path.stat().st_size
    if size > MAX_DOCUMENT_BYTES:
        raise CourseFormatError(
            path, None, f"{size:,} bytes: a course file may be at most {MAX_DOCUMENT_BYTES:,}"
        )
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise CourseFormatError(path, None, f"not UTF-8 text ({error.reason})") from None


# --- Writing ------------------------------------------------------------------------------------


class _Dumper(yaml.SafeDumper):
    """The content files' layout: indented lists, [flow] lists of codes, block-style Markdown."""

    def increase_indent(self, flow=False, indentless=False):
        return super().increase_indent(flow, False)


def _str(dumper, value: str):
    value = text_normalised(value)
    style = "|" if "\n" in value else (">" if len(value) > 100 else None)
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


def _list(dumper, value: list):
    short = all(isinstance(v, str) and len(v) < 40 and " " not in v for v in value)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=short)


_Dumper.add_representer(str, _str)
_Dumper.add_representer(list, _list)


def yaml_dump(data) -> str:
    """YAML in the house layout: keys in the given order, unicode, long text folded at 100."""
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=98)


def _front(meta: dict, body: str) -> str:
    return f"---\n{yaml_dump(meta)}---\n{text_normalised(body).strip()}\n"


def _block_yaml(block_type: str, value: dict) -> dict:
    if block_type == "services":
        return {"heading": value["heading"], "services": list(value["services"])}
    if block_type == "image":
        return {"file": value["image"], "alt": value["alt"], "caption": value["caption"]}
    if block_type == "local_practice":
        return {"key": value["key"]}
    if block_type == "check":
        return {
            "question": value["question"],
            "kind": value["kind"],
            "options": value["options"],
            "explanation": value["explanation"],
        }
    return dict(value)


def module_body_render(sections: list[dict]) -> str:
    """Raw section data (images and scenarios as paths and slugs) back to the Markdown body."""
    parts = []
    for section in sections:
        parts.append(f"## {section['value']['heading']}")
        for block in section["value"]["content"]:
            if block["type"] in ("markdown", "rich_text"):
                parts.append(text_normalised(block["value"]).strip())
            else:
                info = BLOCK_TO_INFO[block["type"]]
                parts.append(
                    f"```{info}\n{yaml_dump(_block_yaml(block['type'], block['value']))}```"
                )
    return "\n\n".join(parts)


def course_folder_render(course: ParsedCourse, folder: Path) -> list[Path]:
    """Write a course folder (course.md and NN-<slug>.md); returns the files written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = [folder / "course.md"]
    written[0].write_text(_front(course.meta, course.description), encoding="utf-8")
    for module in course.modules:
        path = folder / f"{module.position:02d}-{module.meta['slug']}.md"
        path.write_text(_front(module.meta, module_body_render(module.body)), encoding="utf-8")
        written.append(path)
    return written
