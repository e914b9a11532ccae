"""Log records as one JSON object a line (`LAGET_LOG_FORMAT=json`), for a log shipper: the time
(UTC, ISO 8601), level, logger, message and the request id (laget.core.requestcontext), and for
the request log's lines (laget.core.requestlog) the route name, method, status and duration. Only
the formatted message goes out, never the record's raw arguments; what keeps personal data out of
the messages is the loggers' own discipline and the levels settings.LOGGING pins
(tests/test_logs_no_personal_data.py)."""

import datetime as dt
import json
import logging
from typing import Any

from laget.core import requestcontext

#: attributes the request log puts on its records (`extra=`)
REQUEST_FIELDS = ("route", "method", "status", "duration_ms")


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(
                timespec="milliseconds").replace("+00:00", "Z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        request_id = getattr(record, "request_id", None)
        if request_id is None:
            context = requestcontext.current()
            request_id = context.request_id if context is not None else None
        if request_id is not None:
            line["request_id"] = request_id
        for field in REQUEST_FIELDS:
            if hasattr(record, field):
                line[field] = getattr(record, field)
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            line["stack"] = self.formatStack(record.stack_info)
        return json.dumps(line, ensure_ascii=False, default=str)
