"""What every source yields: raw bytes with where they came from, before decoding."""

from dataclasses import dataclass, field
from typing import Any, Literal

InputFormat = Literal["text", "html", "jsonl"]


@dataclass
class RawInput:
    source_uri: str
    data: bytes
    format: InputFormat | None = None
    url: str | None = None
    content_type: str | None = None
    hints: dict[str, Any] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class InputError:
    """An input that could not be read or fetched; it becomes a reject row."""

    source_uri: str
    stage: str
    error_class: str
    message: str
    url: str | None = None
    http_status: int | None = None


Item = RawInput | InputError
