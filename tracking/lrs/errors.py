"""Errors the LRS turns into HTTP responses with a JSON reason."""


class XAPIError(Exception):
    """A request the LRS refuses, with the HTTP status to answer."""

    status = 400

    def __init__(self, message: str, *, status: int | None = None, prop: str | None = None):
        super().__init__(message)
        self.message = message
        self.prop = prop
        if status is not None:
            self.status = status

    def as_json(self) -> dict:
        body = {"error": self.message}
        if self.prop:
            body["property"] = self.prop
        return body


class XAPIValidationError(XAPIError):
    """A statement or parameter that breaks the specification: always 400."""


class XAPIConflict(XAPIError):
    status = 409


class XAPINotFound(XAPIError):
    status = 404


class XAPIPreconditionFailed(XAPIError):
    status = 412
