"""What the fetcher yields besides RawInput: the Unchanged marker, and failures that become InputError."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from flows.sources.base import InputError

_USERINFO = re.compile(r"(//)[^/@\s]+@")
TargetKind = Literal["page", "feed", "sitemap"]


@dataclass(frozen=True)
class Unchanged:
    """A URL not modified since the last run: a 304, or a 200 whose body hashes as before."""

    url: str
    kind: TargetKind
    reason: Literal["not_modified", "same_content"]
    http_status: int


class FetchFailure(Exception):
    """A fetch that failed for a reason the operator can act on; it becomes one InputError."""

    def __init__(self, error_class: str, message: str, url: str, http_status: int | None = None):
        super().__init__(message)
        self.error_class = error_class
        self.message = message
        self.url = url
        self.http_status = http_status

    def to_input_error(self, requested_url: str) -> InputError:
        """Filed under the URL we were asked for; a redirect hop that failed is named in the message."""
        where = f" (at {self.url}, redirected from {requested_url})" if self.url != requested_url else ""
        return InputError(
            source_uri=redact_credentials(requested_url),
            stage="fetch",
            error_class=self.error_class,
            message=redact_credentials(self.message + where),
            url=redact_credentials(requested_url),
            http_status=self.http_status,
        )


def redact_credentials(text: str) -> str:
    """user:password@ in a URL is sent to the server, never stored: rows, rejects and logs get ***@."""
    return _USERINFO.sub(r"\1***@", text)
