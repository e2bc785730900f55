"""The outside bodies of the procedure: the state bodies of the export control system and the
Ministry of Foreign Affairs (RULES.md, "Inter-agency requests").

There is no connection to them from here. `OfficerRelayedBodies` is the local implementation:
a request is recorded and handed to the officer to send by the channel in use today, and the
officer types the answer into the case screen. A real inter-agency integration would be another
implementation of `StateBodies`, chosen by settings; nothing else changes.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Protocol

# The state bodies usually consulted (Government Decree No. 1083 of 28 Dec 2015).
STATE_BODIES = [
    "ҰҚК / КНБ",
    "ҚМ / МО",
    "СІМ / МИД",
    "ІІМ / МВД",
    "ҚарМ / МФ (КГД)",
]
MFA = "СІМ / МИД"


@dataclass(frozen=True)
class Request:
    case_reference: str
    body: str
    kind: str  # "agency": approval request; "mfa": authenticity of the end-use guarantee
    sent_on: dt.date


class StateBodies(Protocol):
    def send(self, request: Request) -> str:
        """Send a request; return the outside reference under which the answer will come."""


class OfficerRelayedBodies:
    """Local implementation: the officer relays the request and records the answer by hand."""

    def send(self, request: Request) -> str:
        return f"{request.case_reference}/{request.kind}/{request.body}/{request.sent_on.isoformat()}"
