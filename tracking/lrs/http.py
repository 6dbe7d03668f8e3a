"""The xAPI HTTP layer: request parsing, headers, CORS and multipart (Communication 1)."""

import hashlib
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime
from urllib.parse import parse_qs

import orjson
from django.http import HttpRequest, HttpResponse, JsonResponse

from tracking.lrs.errors import XAPIValidationError

# Each supported version, by the major.minor a request names, answered with its latest patch
# (Communication 3.3; IEEE 9274.1.1 4.1.3). The newest is the default where none was sent.
XAPI_VERSIONS = {"2.0": "2.0.0", "1.0": "1.0.3"}
XAPI_VERSION = "1.0.3"
XAPI_LATEST = "2.0.0"
VERSION_RE = re.compile(r"^(1\.0|2\.0)(\.\d+)?$")
BLANK_LINE = re.compile(rb"\r?\n\r?\n")
HEADER_FORM_FIELDS = (
    "Authorization",
    "X-Experience-API-Version",
    "Content-Type",
    "Content-Length",
    "If-Match",
    "If-None-Match",
)
CORS_HEADERS = {
    "Access-Control-Allow-Methods": "HEAD, GET, POST, PUT, DELETE, OPTIONS",
    "Access-Control-Allow-Headers": "Content-Type, Content-Length, Authorization, "
    "X-Experience-API-Version, If-Match, If-None-Match, Accept-Language",
    "Access-Control-Expose-Headers": "ETag, Last-Modified, Content-Type, Content-Length, "
    "X-Experience-API-Version, X-Experience-API-Consistent-Through",
    "Access-Control-Max-Age": "86400",
}


@dataclass
class XRequest:
    """A request after the alternate syntax is unwrapped (Communication 1.3)."""

    method: str
    params: dict[str, str]
    headers: dict[str, str]
    body: bytes
    content_type: str
    is_head: bool = False
    extra: dict = field(default_factory=dict)
    # Whether it came in the alternate request syntax (removed in xAPI 2.0).
    alternate: bool = False
    # The version the request asked for, as answered: "1.0.3" or "2.0.0".
    version: str = XAPI_LATEST

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())


def _single_params(pairs: dict[str, list[str]]) -> dict[str, str]:
    for key, values in pairs.items():
        if len(values) > 1:
            raise XAPIValidationError(f"{key}: given more than once", prop=key)
    return {key: values[0] for key, values in pairs.items()}


def xrequest_from(request: HttpRequest) -> XRequest:
    """Unwrap the alternate request syntax: POST ?method=X with a form (Communication 1.3)."""
    query = _single_params(dict(request.GET.lists()))
    headers = {key.lower(): value for key, value in request.headers.items()}
    content_type = request.content_type or ""
    if "method" not in query:
        return XRequest(
            method=request.method.upper(),
            params=query,
            headers=headers,
            body=request.body,
            content_type=content_type,
            is_head=request.method.upper() == "HEAD",
        )
    if request.method != "POST":
        raise XAPIValidationError(
            "method: the alternate request syntax must be a POST", prop="method"
        )
    if set(query) != {"method"}:
        raise XAPIValidationError(
            "the alternate request syntax allows only `method` in the query string", prop="method"
        )
    if content_type != "application/x-www-form-urlencoded":
        raise XAPIValidationError(
            "Content-Type: the alternate request syntax needs application/x-www-form-urlencoded",
            prop="Content-Type",
        )
    try:
        form = _single_params(
            parse_qs(
                request.body.decode(), keep_blank_values=True, strict_parsing=bool(request.body)
            )
        )
    except (UnicodeDecodeError, ValueError):
        raise XAPIValidationError("the form body is not URL-encoded", prop="content") from None
    # The request's own Content-Type describes the form, not the content it carries.
    headers.pop("content-type", None)
    headers.pop("content-length", None)
    for name in HEADER_FORM_FIELDS:
        value = form.pop(name, None)
        # Communication 1.3: the LRS treats these form parameters as header parameters, so
        # a form field wins over a real header of the same name (a form saying version 0.8
        # is refused even when the request's header says 1.0.3).
        if value is not None:
            headers[name.lower()] = value
    body = form.pop("content", "").encode()
    inner_type = headers.get("content-type", "application/json")
    if inner_type.startswith("application/x-www-form-urlencoded"):
        inner_type = "application/json"
    return XRequest(
        method=query["method"].upper(),
        params=form,
        headers=headers,
        body=body,
        content_type=inner_type.split(";")[0].strip(),
        alternate=True,
    )


def version_of(header: str | None) -> str | None:
    """The supported version a X-Experience-API-Version value names ("1.0.3", "2.0.0")."""
    match = VERSION_RE.match((header or "").strip())
    return XAPI_VERSIONS[match.group(1)] if match else None


def version_check(xreq: XRequest) -> str:
    """X-Experience-API-Version is required and must be 1.0.x or 2.0.x (Communication 3.3);
    sets and returns the request's version. The alternate request syntax is 1.0.x only."""
    header = xreq.header("X-Experience-API-Version")
    if not header:
        raise XAPIValidationError(
            "X-Experience-API-Version header is required", prop="X-Experience-API-Version"
        )
    version = version_of(header)
    if version is None:
        raise XAPIValidationError(
            f"X-Experience-API-Version {header} is not supported; use 2.0.0 or 1.0.3",
            prop="X-Experience-API-Version",
        )
    xreq.version = version
    if xreq.alternate and version != XAPI_VERSION:
        # IEEE 9274.1.1 removed the alternate request syntax; 2.0 clients send real headers.
        raise XAPIValidationError(
            "method: xAPI 2.0 has no alternate request syntax; send the real method",
            prop="method",
        )
    return version


def finish(
    response: HttpResponse, request: HttpRequest, version: str = XAPI_LATEST
) -> HttpResponse:
    """Add the version and CORS headers every response carries."""
    response["X-Experience-API-Version"] = version
    response["Access-Control-Allow-Origin"] = request.headers.get("Origin", "*")
    if "Origin" in request.headers:
        response["Vary"] = "Origin"
    for key, value in CORS_HEADERS.items():
        response[key] = value
    return response


def json_response(data, status: int = 200) -> HttpResponse:
    return JsonResponse(
        data,
        status=status,
        safe=False,
        json_dumps_params={"separators": (",", ":"), "ensure_ascii": False},
    )


def http_date(moment: datetime) -> str:
    return format_datetime(moment.astimezone(UTC), usegmt=True)


def parse_json(body: bytes, name: str = "body"):
    """JSON from a request body; 400 naming the problem otherwise.

    orjson: several times faster than the standard library on 1,000-statement batches, and
    strict (invalid UTF-8, NaN and Infinity are errors, as RFC 8259 says).
    """
    try:
        return orjson.loads(body)
    except orjson.JSONDecodeError as error:
        raise XAPIValidationError(f"{name}: is not valid UTF-8 JSON ({error})", prop=name) from None


def multipart_parse(body: bytes, content_type_header: str) -> tuple[bytes, dict]:
    """The statement part and {sha2: (content type, bytes)} of a multipart/mixed body.

    Hand-written: the standard library's email parser rewrites line endings inside binary
    parts, and Django's parser handles only multipart/form-data. Data 2.4.11 requires the
    first part to be the application/json statement(s) and each other part to carry an
    X-Experience-API-Hash header equal to the SHA-256 of its content.
    """
    match = re.search(r'boundary="?([^";]+)"?', content_type_header)
    if not match:
        raise XAPIValidationError(
            "Content-Type: multipart/mixed needs a boundary", prop="Content-Type"
        )
    delimiter = b"--" + match.group(1).encode()
    chunks = body.split(delimiter)
    if len(chunks) < 3:
        raise XAPIValidationError("body: the multipart body has no parts", prop="body")
    parts = []
    for chunk in chunks[1:]:
        if chunk.startswith(b"--"):
            break
        # RFC 2046 asks for CRLF; bare LF is accepted too, as many clients send it.
        chunk = chunk.removeprefix(b"\r\n").removeprefix(b"\n")
        pieces = BLANK_LINE.split(chunk, maxsplit=1)
        if len(pieces) != 2:
            raise XAPIValidationError("body: a multipart part has no header block", prop="body")
        head, content = pieces
        headers = {}
        for line in head.decode("latin-1").splitlines():
            key, colon, value = line.partition(":")
            if not colon:
                raise XAPIValidationError(f"body: malformed part header {line!r}", prop="body")
            headers[key.strip().lower()] = value.strip()
        content = content.removesuffix(b"\n").removesuffix(b"\r")
        parts.append((headers, content))
    if not parts:
        raise XAPIValidationError("body: the multipart body has no parts", prop="body")
    first_headers, statement_body = parts[0]
    if first_headers.get("content-type", "").split(";")[0].strip() != "application/json":
        raise XAPIValidationError(
            "the first multipart part must be application/json", prop="Content-Type"
        )
    attachments = {}
    for headers, content in parts[1:]:
        if headers.get("content-transfer-encoding", "").lower() != "binary":
            raise XAPIValidationError(
                "an attachment part needs Content-Transfer-Encoding: binary",
                prop="Content-Transfer-Encoding",
            )
        declared = headers.get("x-experience-api-hash")
        if not declared:
            raise XAPIValidationError(
                "an attachment part has no X-Experience-API-Hash header",
                prop="X-Experience-API-Hash",
            )
        if hashlib.sha256(content).hexdigest() != declared.lower():
            raise XAPIValidationError(
                "an attachment part's content does not match its X-Experience-API-Hash",
                prop="X-Experience-API-Hash",
            )
        attachments[declared] = (headers.get("content-type", "application/octet-stream"), content)
    return statement_body, attachments


def multipart_build(first: bytes, attachments: list) -> HttpResponse:
    """A multipart/mixed response: the JSON first, then each attachment (Data 2.4.11)."""
    boundary = hashlib.sha1(first, usedforsecurity=False).hexdigest()
    crlf = b"\r\n"
    pieces = [b"--" + boundary.encode(), b"Content-Type: application/json", b"", first]
    for attachment in attachments:
        pieces += [
            b"--" + boundary.encode(),
            f"Content-Type: {attachment.content_type}".encode(),
            b"Content-Transfer-Encoding: binary",
            f"X-Experience-API-Hash: {attachment.sha2}".encode(),
            b"",
            bytes(attachment.content),
        ]
    pieces.append(b"--" + boundary.encode() + b"--")
    # Unquoted: a hex boundary is a valid RFC 2045 token, and some clients (the ADL
    # conformance suite's parser among them) do not strip quotes from the parameter.
    return HttpResponse(
        crlf.join(pieces) + crlf, content_type=f"multipart/mixed; boundary={boundary}"
    )
